-- sign_in_events gets smaller (docs/database.md "Event storage", issue 11: at most 600 bytes of
-- disk per event, indexes included):
--  - the user agent (~100 bytes an event, a few dozen distinct values in a dataset) moves to a
--    per-dataset dictionary, user_agents; an event keeps user_agent_id, the first 8 bytes of
--    md5(user agent) as a signed bigint (user_agent_key(), the same in lib/events/user-agents.ts).
--    A key is a function of the text, so a query that matches events to a finding's user agent
--    compares keys and needs no join; one that shows or groups the text joins the dictionary.
--    Two different user agents of one dataset under one key are refused (here and by the import);
--  - the source event id, when it is a GUID written as uuid::text writes it (lower case, with
--    hyphens: Graph ids, portal Request IDs, Log Analytics Ids), is stored as a uuid
--    (source_event_uuid, 16 bytes instead of 37) and source_event_id is NULL; any other id stays
--    text in source_event_id. The id is coalesce(source_event_uuid::text, source_event_id);
--  - source_format (one value per import) moves to the record blocks: a block holds consecutive
--    events of one import.
-- The events are rewritten once (ALTER … TYPE): dropped columns take no space after it, and every
-- index is rebuilt, compact.

-- The key of a user agent (IMMUTABLE, a single SELECT: the planner inlines it).
CREATE FUNCTION "user_agent_key"(user_agent text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ('x' || substr(md5(user_agent), 1, 16))::bit(64)::bigint
$$;

-- CreateTable
CREATE TABLE "user_agents" (
    "dataset_id" INTEGER NOT NULL,
    "user_agent_id" BIGINT NOT NULL,
    "user_agent" TEXT NOT NULL,

    CONSTRAINT "user_agents_pkey" PRIMARY KEY ("dataset_id","user_agent_id")
);

-- AddForeignKey
ALTER TABLE "user_agents" ADD CONSTRAINT "user_agents_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing events' user agents (rows of a dataset that no longer exists have no partition).
INSERT INTO "user_agents" ("dataset_id", "user_agent_id", "user_agent")
SELECT DISTINCT "dataset_id", "user_agent_key"("user_agent"), "user_agent"
FROM "sign_in_events";

DO $$
DECLARE
    clash record;
BEGIN
    SELECT "dataset_id", "user_agent_id" INTO clash FROM "user_agents"
    GROUP BY "dataset_id", "user_agent_id" HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'two user agents of dataset % have the same 64-bit key %', clash.dataset_id, clash.user_agent_id;
    END IF;
END
$$;

-- The records' source format, per block.
ALTER TABLE "sign_in_record_blocks" ADD COLUMN "source_format" TEXT NOT NULL DEFAULT '';
UPDATE "sign_in_record_blocks" b
SET "source_format" = e."source_format"
FROM (SELECT "dataset_id", "record_block", min("source_format") AS "source_format"
      FROM "sign_in_events" GROUP BY "dataset_id", "record_block") e
WHERE b."dataset_id" = e."dataset_id" AND b."block_id" = e."record_block";
ALTER TABLE "sign_in_record_blocks" ALTER COLUMN "source_format" DROP DEFAULT;

-- One rewrite of the events: the user agent becomes its key, a source id that is a GUID in its
-- canonical form moves to source_event_uuid, source_format goes. (Each USING reads the row as it
-- was before the statement.)
ALTER TABLE "sign_in_events" ADD COLUMN "source_event_uuid" UUID;
ALTER TABLE "sign_in_events"
    ALTER COLUMN "user_agent" DROP DEFAULT,
    ALTER COLUMN "user_agent" TYPE BIGINT USING "user_agent_key"("user_agent"),
    ALTER COLUMN "source_event_uuid" TYPE UUID USING (
        CASE WHEN "source_event_id" ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN "source_event_id"::uuid END),
    ALTER COLUMN "source_event_id" DROP NOT NULL,
    ALTER COLUMN "source_event_id" TYPE TEXT USING (
        CASE WHEN "source_event_id" ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN NULL ELSE "source_event_id" END),
    DROP COLUMN "source_format";
ALTER TABLE "sign_in_events" RENAME COLUMN "user_agent" TO "user_agent_id";
-- user_agent_key('')
ALTER TABLE "sign_in_events" ALTER COLUMN "user_agent_id" SET DEFAULT -3162216497309240828;

-- The suppression criterion that reads the events (20261207600000_suppression_match) compares
-- the key of the finding's user agent.
CREATE OR REPLACE FUNCTION "suppression_covers_usernames"(
    finding_dataset_id int, finding_ip inet, finding_bucket timestamptz, finding_window_minutes int,
    finding_client_app text, finding_user_agent text, finding_codes text[], upn_pattern text)
    RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM sign_in_events e
        WHERE e.dataset_id = finding_dataset_id AND e.ip_address = finding_ip
          AND e.created_at >= finding_bucket AND e.created_at < finding_bucket + make_interval(mins => finding_window_minutes)
          AND e.client_app_used = finding_client_app AND e.user_agent_id = user_agent_key(finding_user_agent)
          AND e.error_code = ANY(finding_codes) AND e.user_principal_name <> ''
          AND e.user_principal_name NOT LIKE suppression_like(upn_pattern))
$$;
