-- Which of a batch's event keys the dataset already holds (from earlier imports, or earlier
-- batches of this one), with the source id stored under each. The first copy of an event wins:
-- these are duplicates and are not copied. Imports into one dataset take turns (the pipeline's
-- advisory lock), so the answer stays true until the batch is copied.
-- $1 dataset id, $2 event keys (lib/ingest/event-key.ts)
-- (a GUID id is stored as a uuid: docs/database.md "Event storage")
SELECT event_key::text AS event_key, coalesce(source_event_uuid::text, source_event_id) AS source_event_id
FROM sign_in_events
WHERE dataset_id = $1
  AND event_key = ANY($2::bigint[])
