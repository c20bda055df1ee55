-- Statistics of dataset $1's partitions of the events and the rollup, as their owner (the
-- SECURITY DEFINER function of migration 20261207200000, which the app role may execute), and
-- the events it held then ($2), which the import's own rule (lib/ingest/table-statistics.ts)
-- counts from.
WITH analysed AS (SELECT analyze_dataset_partitions($1::int))
UPDATE datasets SET statistics_rows = $2::bigint
WHERE id = $1::int AND EXISTS (SELECT 1 FROM analysed)
