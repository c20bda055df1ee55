-- A recompute starts (before it waits for the dataset's lock), when there is anything to do:
-- pages and the CLI show "findings are being updated" from now. $1 dataset id
UPDATE dataset_derived_state
   SET status = 'running', started_at = clock_timestamp()
 WHERE dataset_id = $1::int AND (dirty_full OR dirty_from IS NOT NULL OR status <> 'current')
RETURNING dataset_id
