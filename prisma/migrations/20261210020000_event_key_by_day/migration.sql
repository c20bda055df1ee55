-- An event's unique key is its 64-bit key (md5 of its source id) within its UTC day, not within
-- the whole dataset. The key is random, so in an index ordered by it every appended event landed
-- on a page of its own: at 10 M events the index is ~400 MB, three times the server's default
-- buffer pool, and an appended hour's 16,000 events touched ~13,000 of its pages, about half a
-- second of the server's time to load the hour. Ordered by day first, an hour's keys go into
-- the ~13 MB of its own day, which stay in memory (docs/benchmarks.md).
--
-- What counts as a copy follows (docs/database.md "Event storage"): the same source id on the
-- same UTC day, or within an hour of it across midnight (the import looks those up). Exports of
-- one sign-in differ in precision and some give the time the log received it (seconds to
-- minutes later), never a day.
--
-- The day is whole days since 1970 (toward zero), written with immutable operators only, so the
-- planner inlines the function into the index and the statements that use it (an IMMUTABLE
-- wrapper around extract(epoch …), which is only STABLE, was called per row instead).
-- lib/ingest/event-key.ts computes the same in Node.
CREATE FUNCTION "event_day"(created_at timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT date_part('day', created_at - TIMESTAMPTZ '1970-01-01 00:00:00+00')::integer
$$;

DROP INDEX "sign_in_events_dataset_id_event_key_key";
CREATE UNIQUE INDEX "sign_in_events_dataset_id_event_day_event_key_key" ON "sign_in_events" ("dataset_id", "event_day"("created_at"), "event_key");
