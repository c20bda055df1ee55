-- A recompute found nothing left to do (another one did it while this one waited for the lock).
-- $1 dataset id
UPDATE dataset_derived_state
   SET status = 'current'
 WHERE dataset_id = $1::int AND status = 'running' AND NOT dirty_full AND dirty_from IS NULL
