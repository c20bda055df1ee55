-- Datasets whose findings are being updated or failed to update, with their names, for the
-- pages' notice. $1 dataset ids int[] (NULL: all datasets)
SELECT s.dataset_id, d.name, s.status, s.error, s.requested_at, s.started_at, s.finished_at, s.last_run, s.failures
FROM dataset_derived_state s
JOIN datasets d ON d.id = s.dataset_id
WHERE s.status <> 'current' AND ($1::int[] IS NULL OR s.dataset_id = ANY($1::int[]))
ORDER BY d.name
