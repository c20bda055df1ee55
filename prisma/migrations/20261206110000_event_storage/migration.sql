-- Event storage at incident scale (docs/database.md "Event storage"):
-- 1. The original record leaves the hot table: it goes, compressed in blocks of consecutive
--    events, to sign_in_record_blocks; an event keeps the block's id and its place in it.
-- 2. The unique key is a 64-bit hash of the source event id, not the text itself.
-- 3. No per-row foreign-key checks on the events (half the time of their COPY): the import holds
--    the dataset row (FOR KEY SHARE) for its whole transaction instead, and deleting a dataset
--    deletes its events explicitly (lib/datasets/datasets.ts). The index that served the import
--    job key goes with it; the time index becomes a BRIN (events arrive in time order, a few
--    hundred bytes where the btree took ~55 bytes an event).
-- 4. Per dataset, hour and error code, the counts the overview, the dataset list and the
--    completeness report need, kept current by the import (sign_in_hourly_summary), so no page
--    reads the events in proportion to the dataset.

-- CreateTable
CREATE TABLE "sign_in_record_blocks" (
    "dataset_id" INTEGER NOT NULL,
    "block_id" BIGINT NOT NULL,
    "encoding" TEXT NOT NULL,
    "records" BYTEA NOT NULL,

    CONSTRAINT "sign_in_record_blocks_pkey" PRIMARY KEY ("dataset_id","block_id")
);
-- Already compressed: PostgreSQL must not try again.
ALTER TABLE "sign_in_record_blocks" ALTER COLUMN "records" SET STORAGE EXTERNAL;

-- CreateTable
CREATE TABLE "sign_in_hourly_summary" (
    "dataset_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "error_code" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "interactive" INTEGER NOT NULL,
    "non_interactive" INTEGER NOT NULL,
    "without_user_agent" INTEGER NOT NULL,
    "without_client_app" INTEGER NOT NULL,
    "without_app" INTEGER NOT NULL,
    "without_location" INTEGER NOT NULL,
    "without_asn" INTEGER NOT NULL,
    "without_ip" INTEGER NOT NULL,
    "without_upn" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_hourly_summary_pkey" PRIMARY KEY ("dataset_id","bucket","error_code")
);

-- Existing events: each original record becomes a block of one, stored as it was (block ids
-- below zero never collide with an import's: import job id × 2^20 + block number).
ALTER TABLE "sign_in_events" ADD COLUMN "event_key" BIGINT,
ADD COLUMN "record_block" BIGINT,
ADD COLUMN "record_index" INTEGER;

INSERT INTO "sign_in_record_blocks" ("dataset_id", "block_id", "encoding", "records")
SELECT "dataset_id", -"id", 'identity', convert_to("raw"::text, 'UTF8') FROM "sign_in_events";

-- The key: the first 8 bytes of md5(source event id), as lib/ingest/event-key.ts computes it.
UPDATE "sign_in_events"
SET "record_block" = -"id",
    "record_index" = 0,
    "event_key" = ('x' || substr(md5("source_event_id"), 1, 16))::bit(64)::bigint;

INSERT INTO "sign_in_hourly_summary"
SELECT "dataset_id", date_bin('1 hour', "created_at", TIMESTAMPTZ '1970-01-01 00:00:00+00'), coalesce("error_code", ''),
       count(*), count(*) FILTER (WHERE "is_interactive"), count(*) FILTER (WHERE NOT "is_interactive"),
       count(*) FILTER (WHERE "user_agent" = ''), count(*) FILTER (WHERE "client_app_used" = ''),
       count(*) FILTER (WHERE "app_display_name" = ''), count(*) FILTER (WHERE "location_country" IS NULL),
       count(*) FILTER (WHERE "autonomous_system" IS NULL), count(*) FILTER (WHERE "ip_address" IS NULL),
       count(*) FILTER (WHERE "user_principal_name" = ''), min("created_at"), max("created_at")
FROM "sign_in_events"
GROUP BY 1, 2, 3;

ALTER TABLE "sign_in_events" ALTER COLUMN "event_key" SET NOT NULL,
ALTER COLUMN "record_block" SET NOT NULL,
ALTER COLUMN "record_index" SET NOT NULL,
DROP COLUMN "raw";

-- DropIndex
DROP INDEX "sign_in_events_dataset_id_source_event_id_key";
DROP INDEX "sign_in_events_import_job_id_idx";
DROP INDEX "sign_in_events_dataset_id_created_at_idx";

-- DropForeignKey
ALTER TABLE "sign_in_events" DROP CONSTRAINT "sign_in_events_dataset_id_fkey";
ALTER TABLE "sign_in_events" DROP CONSTRAINT "sign_in_events_import_job_id_fkey";

-- CreateIndex
CREATE INDEX "sign_in_events_dataset_id_created_at_idx" ON "sign_in_events" USING BRIN ("dataset_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "sign_in_events_dataset_id_event_key_key" ON "sign_in_events"("dataset_id", "event_key");

-- AddForeignKey
ALTER TABLE "sign_in_record_blocks" ADD CONSTRAINT "sign_in_record_blocks_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sign_in_hourly_summary" ADD CONSTRAINT "sign_in_hourly_summary_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
