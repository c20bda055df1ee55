-- The hours that hold events of a dataset, from the hourly summary: an event can only repeat a
-- stored one of its own hour (lib/ingest/pipeline.ts, StoredIds). $1 dataset id
SELECT DISTINCT bucket FROM sign_in_hourly_summary WHERE dataset_id = $1
