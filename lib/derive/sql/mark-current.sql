-- The recompute committed with everything it read: up to date. $1 dataset id, $2 the run (scope,
-- milliseconds per detector) jsonb
UPDATE dataset_derived_state
   SET status = 'current', error = NULL, dirty_full = false, full_cause = NULL, dirty_from = NULL, dirty_to = NULL,
       finished_at = clock_timestamp(), last_run = $2::jsonb, failures = 0
 WHERE dataset_id = $1::int
