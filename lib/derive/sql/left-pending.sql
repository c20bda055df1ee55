-- Datasets whose recompute nobody has run: pending since their last import more than $1 seconds
-- ago. Whoever imports recomputes right after (the CLI, an upload batch, a connector run), unless
-- it was told not to (`cli ingest --no-wait`) or its process ended first; a multi-file import
-- marks the dataset at each file, so one still importing is never this old.
-- $1 seconds int
SELECT dataset_id
FROM dataset_derived_state
WHERE status = 'pending'
  AND requested_at < clock_timestamp() - make_interval(secs => $1::int)
ORDER BY dataset_id
