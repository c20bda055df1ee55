-- Everything derived from the dataset is to be recomputed: new settings, a retry asked for in
-- full. $1 dataset id, $2 why (settings, retry)
INSERT INTO dataset_derived_state AS s (dataset_id, status, dirty_full, full_cause, requested_at)
VALUES ($1::int, 'pending', true, $2::text, clock_timestamp())
ON CONFLICT (dataset_id) DO UPDATE SET
    status       = CASE WHEN s.status = 'running' THEN 'running' ELSE 'pending' END,
    dirty_full   = true,
    full_cause   = coalesce(s.full_cause, excluded.full_cause),
    requested_at = excluded.requested_at
