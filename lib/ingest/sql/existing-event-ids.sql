-- The stored events that may be copies of a batch's events (from earlier imports, or earlier
-- batches of this one): those with one of the batch's event keys on one of the days given, with
-- their time and source id; the pipeline keeps those on the same day as an event or within an
-- hour of it (lib/ingest/event-key.ts, sameEvent). The first copy wins: these are duplicates and
-- are not copied. Imports into one dataset take turns (the pipeline's advisory lock), so the
-- answer stays true until the batch is copied. The unique index is (dataset_id,
-- event_day(created_at), event_key), so each day and key is one descent of it.
-- $1 dataset id, $2 event keys (lib/ingest/event-key.ts), $3 days (event_day)
-- (a GUID id is stored as a uuid: docs/database.md "Event storage")
SELECT event_key::text AS event_key, floor(extract(epoch FROM created_at) * 1000)::bigint::text AS time_ms,
       coalesce(source_event_uuid::text, source_event_id) AS source_event_id
FROM sign_in_events
WHERE dataset_id = $1
  AND event_day(created_at) = ANY ($3::int[])
  AND event_key = ANY ($2::bigint[])
