-- The recompute committed with everything it read: up to date, unless a recompute was asked for
-- again meanwhile (a retry does not wait for the dataset's lock): then what that asked for stays
-- to be done. $1 dataset id, $2 the run (scope, milliseconds per detector) jsonb, $3 requested_at
-- as the recompute read it
UPDATE dataset_derived_state
   SET status      = CASE WHEN requested_at IS NOT DISTINCT FROM $3::timestamptz THEN 'current' ELSE 'pending' END,
       dirty_full  = dirty_full AND requested_at IS DISTINCT FROM $3::timestamptz,
       full_cause  = CASE WHEN requested_at IS NOT DISTINCT FROM $3::timestamptz THEN NULL ELSE full_cause END,
       dirty_from  = CASE WHEN requested_at IS NOT DISTINCT FROM $3::timestamptz THEN NULL ELSE dirty_from END,
       dirty_to    = CASE WHEN requested_at IS NOT DISTINCT FROM $3::timestamptz THEN NULL ELSE dirty_to END,
       error = NULL, finished_at = clock_timestamp(), last_run = $2::jsonb, failures = 0
 WHERE dataset_id = $1::int
