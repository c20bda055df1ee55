-- Deletes a dataset. Its foreign keys cascade to what it holds; its partitions of the per-event
-- tables (events, original records, rollup) are dropped when the transaction commits, by the
-- datasets_drop_partitions trigger (docs/database.md "Event storage"): no event is deleted one
-- by one. $1 dataset id
DELETE FROM datasets WHERE id = $1
