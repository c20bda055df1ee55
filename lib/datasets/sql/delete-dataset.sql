-- Deletes a dataset: its events first (they keep no foreign key to datasets, see
-- docs/database.md "Event storage"), then the dataset row, whose foreign keys cascade to
-- everything else it holds. $1 dataset id
WITH events AS (
    DELETE FROM sign_in_events WHERE dataset_id = $1
)
DELETE FROM datasets WHERE id = $1
