-- Statistics for the event tables after an import committed (lib/ingest/table-statistics.ts:
-- when the dataset is new or has doubled), so that the recompute that follows is planned for the
-- tables as they now are: the dataset's partitions of the events and the rollup (not every
-- dataset's), as the tables' owner (a SECURITY DEFINER function of migration 20261207200000, so
-- the app role may run it). $1 dataset id
SELECT analyze_dataset_partitions($1::int)
