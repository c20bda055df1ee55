-- In an import's transaction: events of [$2, $3] were appended, so what is derived from them is
-- to be recomputed (lib/derive/recompute.ts). A recompute already waiting for the dataset's
-- lock stays "running": it will see this range. $1 dataset id, $2 first event, $3 last event
INSERT INTO dataset_derived_state AS s (dataset_id, status, dirty_from, dirty_to, requested_at)
VALUES ($1::int, 'pending', $2::timestamptz, $3::timestamptz, clock_timestamp())
ON CONFLICT (dataset_id) DO UPDATE SET
    status       = CASE WHEN s.status = 'running' THEN 'running' ELSE 'pending' END,
    dirty_from   = least(s.dirty_from, excluded.dirty_from),
    dirty_to     = greatest(s.dirty_to, excluded.dirty_to),
    requested_at = excluded.requested_at
