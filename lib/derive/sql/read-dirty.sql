-- What is left to recompute, read under the dataset's lock (imports add to it under the same
-- lock, so nothing appended can slip between this read and the recompute's commit). $1 dataset id
SELECT dirty_full, full_cause, dirty_from, dirty_to, requested_at
FROM dataset_derived_state
WHERE dataset_id = $1::int
