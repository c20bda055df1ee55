-- The per-event tables are partitioned by dataset (docs/database.md "Event storage"):
-- sign_in_events, sign_in_record_blocks and sign_in_hourly_rollup are LIST-partitioned on
-- dataset_id, one partition per dataset (<table>_d<id>). Deleting a dataset drops its partitions
-- instead of deleting millions of rows one by one; each partition's indexes cover one dataset.
--
-- Partitions follow the datasets table through triggers, so every way of creating or deleting a
-- dataset (find-or-create, the demo, connectors, the CLI, Prisma in tests) keeps them in step:
--  - after a dataset row is inserted, its partitions are created (CREATE TABLE, then ATTACH
--    PARTITION: ATTACH takes SHARE UPDATE EXCLUSIVE on the parent, so imports and pages of other
--    datasets go on; CREATE TABLE … PARTITION OF would take ACCESS EXCLUSIVE);
--  - when a transaction that deleted a dataset row commits, its partitions are dropped (a deferred
--    trigger: at that point no statement of the transaction still has the partition open).
-- The app runs as a role that owns no table and so may not run DDL: the trigger functions are
-- SECURITY DEFINER (they run as this migration's owner), with search_path pinned, and take the
-- dataset id from the row itself. Nobody calls them directly (they return trigger).
--
-- The rollup and the record blocks lose their foreign key to datasets: attaching a partition of a
-- table with a foreign key adds the key to the partition, which locks datasets against the
-- concurrent find-or-create of the same name (a deadlock). The partition's life is the dataset's.
--
-- sign_in_events also gets smaller (bytes per event, indexes included):
--  - no primary key on id (it would have to include dataset_id; ids come from one sequence): a
--    plain btree on id per partition, filled in order (so packed); the unique key stays
--    (dataset_id, event_key). A BRIN on id was tried: an `id = ANY(…)` of an evidence bundle
--    scans the whole BRIN once per id (PostgreSQL 15), 0.1 s for 100 ids at 1 M events;
--  - the address index is (ip_address, created_at), without the dataset id a partition repeats;
--  - app_id is a uuid (Entra application ids are GUIDs; anything else is left out by the import,
--    the original record keeps it);
--  - fixed-width columns first, so no padding between them.

-- 1. The old tables step aside; their indexes go now, so the new ones can take their names.
ALTER TABLE "sign_in_events" RENAME TO "sign_in_events_unpartitioned";
ALTER TABLE "sign_in_events_unpartitioned" DROP CONSTRAINT "sign_in_events_pkey";
DROP INDEX "sign_in_events_dataset_id_created_at_idx";
DROP INDEX "sign_in_events_dataset_id_event_key_key";
DROP INDEX "sign_in_events_dataset_id_ip_address_created_at_idx";
ALTER SEQUENCE "sign_in_events_id_seq" OWNED BY NONE;
ALTER TABLE "sign_in_events_unpartitioned" ALTER COLUMN "id" DROP DEFAULT;

ALTER TABLE "sign_in_record_blocks" RENAME TO "sign_in_record_blocks_unpartitioned";
ALTER TABLE "sign_in_record_blocks_unpartitioned" DROP CONSTRAINT "sign_in_record_blocks_pkey";
ALTER TABLE "sign_in_record_blocks_unpartitioned" DROP CONSTRAINT "sign_in_record_blocks_dataset_id_fkey";

ALTER TABLE "sign_in_hourly_rollup" RENAME TO "sign_in_hourly_rollup_unpartitioned";
ALTER TABLE "sign_in_hourly_rollup_unpartitioned" DROP CONSTRAINT "sign_in_hourly_rollup_pkey";
ALTER TABLE "sign_in_hourly_rollup_unpartitioned" DROP CONSTRAINT "sign_in_hourly_rollup_dataset_id_fkey";
DROP INDEX "sign_in_hourly_rollup_dataset_id_error_code_bucket_idx";
DROP INDEX "sign_in_hourly_rollup_dataset_id_ip_address_bucket_idx";
DROP INDEX "sign_in_hourly_rollup_user_principal_name_idx";

-- 2. The partitioned tables (indexes after the data is in: built once, compact).
CREATE TABLE "sign_in_events" (
    "id" BIGINT NOT NULL DEFAULT nextval('sign_in_events_id_seq'),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "event_key" BIGINT NOT NULL,
    "record_block" BIGINT NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "import_job_id" INTEGER,
    "record_index" INTEGER NOT NULL,
    "autonomous_system" INTEGER,
    "is_interactive" BOOLEAN,
    "app_id" UUID,
    "ip_address" INET,
    "source_event_id" TEXT NOT NULL,
    "user_principal_name" TEXT NOT NULL DEFAULT '',
    "client_app_used" TEXT NOT NULL DEFAULT '',
    "user_agent" TEXT NOT NULL DEFAULT '',
    "app_display_name" TEXT NOT NULL DEFAULT '',
    "error_code" TEXT,
    "failure_reason" TEXT,
    "location_city" TEXT,
    "location_state" TEXT,
    "location_country" TEXT,
    "source_format" TEXT NOT NULL
) PARTITION BY LIST ("dataset_id");
ALTER SEQUENCE "sign_in_events_id_seq" OWNED BY "sign_in_events"."id";

CREATE TABLE "sign_in_record_blocks" (
    "dataset_id" INTEGER NOT NULL,
    "block_id" BIGINT NOT NULL,
    "encoding" TEXT NOT NULL,
    "records" BYTEA NOT NULL
) PARTITION BY LIST ("dataset_id");
-- Already compressed: PostgreSQL must not try again (partitions copy it, see below).
ALTER TABLE "sign_in_record_blocks" ALTER COLUMN "records" SET STORAGE EXTERNAL;

CREATE TABLE "sign_in_hourly_rollup" (
    "dataset_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "key_hash" UUID NOT NULL,
    "ip_address" INET NOT NULL,
    "client_app_used" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL,
    "user_principal_name" TEXT NOT NULL,
    "error_code" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "app_names" TEXT[]
) PARTITION BY LIST ("dataset_id");

-- 3. Partitions follow datasets.
CREATE FUNCTION "create_dataset_partitions"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    parent text;
    partition text;
BEGIN
    IF NEW.id IS NULL OR NEW.id <= 0 THEN
        RAISE EXCEPTION 'dataset id % cannot have partitions', NEW.id;
    END IF;
    FOREACH parent IN ARRAY ARRAY['sign_in_events', 'sign_in_record_blocks', 'sign_in_hourly_rollup'] LOOP
        partition := parent || '_d' || NEW.id::int;
        IF to_regclass('public.' || quote_ident(partition)) IS NULL THEN
            EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', partition, parent);
            EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES IN (%s)', parent, partition, NEW.id::int);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE FUNCTION "drop_dataset_partitions"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    parent text;
    partition text;
    attempt int;
BEGIN
    -- Deleted and inserted again in one transaction (an id is never reused, but be sure): keep.
    IF EXISTS (SELECT 1 FROM public.datasets WHERE id = OLD.id) THEN
        RETURN NULL;
    END IF;
    IF to_regclass('public.' || quote_ident('sign_in_events_d' || OLD.id::int)) IS NULL THEN
        RETURN NULL;
    END IF;
    -- Dropping a partition takes its parent's ACCESS EXCLUSIVE lock. Taken one parent after the
    -- other, while a transaction of another dataset holds one parent and waits for the next, that
    -- is a deadlock. So all three are taken together, each try given up after 200 ms (before the
    -- deadlock detector's 1 s) and its locks released with its subtransaction; the last try waits.
    FOR attempt IN 1..25 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '200ms', true);
            LOCK TABLE public.sign_in_events, public.sign_in_record_blocks, public.sign_in_hourly_rollup IN ACCESS EXCLUSIVE MODE;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_sleep(0.05 + random() * 0.25);
        END;
    END LOOP;
    PERFORM set_config('lock_timeout', '0', true);
    LOCK TABLE public.sign_in_events, public.sign_in_record_blocks, public.sign_in_hourly_rollup IN ACCESS EXCLUSIVE MODE;
    FOREACH parent IN ARRAY ARRAY['sign_in_events', 'sign_in_record_blocks', 'sign_in_hourly_rollup'] LOOP
        partition := parent || '_d' || OLD.id::int;
        IF to_regclass('public.' || quote_ident(partition)) IS NOT NULL THEN
            EXECUTE format('DROP TABLE public.%I', partition);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- Planner statistics for one dataset's events and rollup (lib/ingest/table-statistics.ts): its
-- partitions only, however many other datasets there are. As the owner, so that the app role,
-- which may not ANALYZE a table it does not own before PostgreSQL 17, keeps a new dataset's plans
-- right; ensureAppRole (lib/db/app-role.ts) grants EXECUTE.
CREATE FUNCTION "analyze_dataset_partitions"(dataset integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    parent text;
    partition text;
BEGIN
    FOREACH parent IN ARRAY ARRAY['sign_in_events', 'sign_in_hourly_rollup'] LOOP
        partition := parent || '_d' || dataset;
        IF to_regclass('public.' || quote_ident(partition)) IS NOT NULL THEN
            EXECUTE format('ANALYZE public.%I', partition);
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION "analyze_dataset_partitions"(integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION "create_dataset_partitions"() FROM PUBLIC;
REVOKE ALL ON FUNCTION "drop_dataset_partitions"() FROM PUBLIC;

CREATE TRIGGER "datasets_create_partitions" AFTER INSERT ON "datasets"
    FOR EACH ROW EXECUTE FUNCTION "create_dataset_partitions"();
CREATE CONSTRAINT TRIGGER "datasets_drop_partitions" AFTER DELETE ON "datasets"
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION "drop_dataset_partitions"();

-- 4. Existing datasets get their partitions, and their rows move in (rows of a dataset that no
-- longer exists are left behind: the events kept no foreign key).
DO $$
DECLARE
    dataset record;
    parent text;
BEGIN
    FOR dataset IN SELECT id FROM datasets ORDER BY id LOOP
        FOREACH parent IN ARRAY ARRAY['sign_in_events', 'sign_in_record_blocks', 'sign_in_hourly_rollup'] LOOP
            EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', parent || '_d' || dataset.id, parent);
            EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES IN (%s)', parent, parent || '_d' || dataset.id, dataset.id);
        END LOOP;
    END LOOP;
END
$$;

INSERT INTO "sign_in_events" (
    "id", "created_at", "event_key", "record_block", "dataset_id", "import_job_id", "record_index",
    "autonomous_system", "is_interactive", "app_id", "ip_address", "source_event_id",
    "user_principal_name", "client_app_used", "user_agent", "app_display_name", "error_code",
    "failure_reason", "location_city", "location_state", "location_country", "source_format")
SELECT "id", "created_at", "event_key", "record_block", "dataset_id", "import_job_id", "record_index",
       "autonomous_system", "is_interactive",
       CASE WHEN "app_id" ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
              OR "app_id" ~* '^\{[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}$' THEN "app_id"::uuid END,
       "ip_address", "source_event_id",
       "user_principal_name", "client_app_used", "user_agent", "app_display_name", "error_code",
       "failure_reason", "location_city", "location_state", "location_country", "source_format"
FROM "sign_in_events_unpartitioned"
WHERE "dataset_id" IN (SELECT "id" FROM "datasets");

INSERT INTO "sign_in_record_blocks" ("dataset_id", "block_id", "encoding", "records")
SELECT "dataset_id", "block_id", "encoding", "records"
FROM "sign_in_record_blocks_unpartitioned"
WHERE "dataset_id" IN (SELECT "id" FROM "datasets");

INSERT INTO "sign_in_hourly_rollup"
SELECT * FROM "sign_in_hourly_rollup_unpartitioned"
WHERE "dataset_id" IN (SELECT "id" FROM "datasets")
ORDER BY "dataset_id", "error_code", "bucket";

DROP TABLE "sign_in_events_unpartitioned";
DROP TABLE "sign_in_record_blocks_unpartitioned";
DROP TABLE "sign_in_hourly_rollup_unpartitioned";

-- 5. Indexes, on the parents: PostgreSQL builds them on every partition and on every new one.
-- CreateIndex
CREATE UNIQUE INDEX "sign_in_events_dataset_id_event_key_key" ON "sign_in_events"("dataset_id", "event_key");
-- Events arrive in time order: BRIN, a few pages per dataset.
CREATE INDEX "sign_in_events_created_at_idx" ON "sign_in_events" USING BRIN ("created_at");
CREATE INDEX "sign_in_events_id_idx" ON "sign_in_events"("id");
CREATE INDEX "sign_in_events_ip_address_created_at_idx" ON "sign_in_events"("ip_address", "created_at");

ALTER TABLE "sign_in_record_blocks" ADD CONSTRAINT "sign_in_record_blocks_pkey" PRIMARY KEY ("dataset_id", "block_id");

ALTER TABLE "sign_in_hourly_rollup" ADD CONSTRAINT "sign_in_hourly_rollup_pkey" PRIMARY KEY ("dataset_id", "bucket", "key_hash");
CREATE INDEX "sign_in_hourly_rollup_dataset_id_error_code_bucket_idx" ON "sign_in_hourly_rollup"("dataset_id", "error_code", "bucket");
CREATE INDEX "sign_in_hourly_rollup_dataset_id_ip_address_bucket_idx" ON "sign_in_hourly_rollup"("dataset_id", "ip_address", "bucket");
-- Username search: failed attempts only (see 20261206140000_username_search).
CREATE INDEX "sign_in_hourly_rollup_user_principal_name_idx"
    ON "sign_in_hourly_rollup" USING gin ("user_principal_name" gin_trgm_ops)
    WHERE "error_code" <> '0';
