-- The recompute rolled back: what was to be done stays to be done (the dirty range is kept), and
-- the dataset says why. $1 dataset id, $2 reason text, $3 the run so far jsonb
UPDATE dataset_derived_state
   SET status = 'failed', error = $2::text, finished_at = clock_timestamp(), last_run = $3::jsonb, failures = failures + 1
 WHERE dataset_id = $1::int
