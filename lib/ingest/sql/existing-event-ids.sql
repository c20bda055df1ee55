-- Which of a batch's event ids the dataset already holds (from earlier imports, or earlier
-- batches of this one). The first copy of an event wins: these are duplicates and are not copied.
-- Imports into one dataset take turns (the pipeline's advisory lock), so the answer stays true
-- until the batch is copied.
-- $1 dataset id, $2 source event ids
SELECT source_event_id
FROM sign_in_events
WHERE dataset_id = $1
  AND source_event_id = ANY($2::text[])
