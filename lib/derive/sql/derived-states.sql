-- The derived state of datasets ($1 ids int[]; NULL: all that are not up to date).
SELECT dataset_id, status, error, dirty_full, dirty_from, dirty_to, requested_at, started_at, finished_at, last_run, failures
FROM dataset_derived_state
WHERE CASE WHEN $1::int[] IS NULL THEN status <> 'current' ELSE dataset_id = ANY($1::int[]) END
ORDER BY dataset_id
