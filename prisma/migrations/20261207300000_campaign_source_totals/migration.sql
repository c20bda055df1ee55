-- Campaigns after an append without reading the dataset's whole rollup (lib/campaigns/
-- source-totals.ts): per source (IP, client app, user agent), all its attempts and its failures
-- with the campaign codes, which say whether it takes part in campaigns (mostly failures). A full
-- recompute fills them from the rollup; a scoped one adds the events appended since
-- (campaign_events_seen: the events' id sequence as it stood at the last campaign refresh).
-- CreateTable
CREATE TABLE "campaign_source_totals" (
    "dataset_id" INTEGER NOT NULL,
    "key_hash" UUID NOT NULL,
    "ip_address" INET NOT NULL,
    "client_app_used" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL,
    "attempts" BIGINT NOT NULL,
    "failed" BIGINT NOT NULL,

    CONSTRAINT "campaign_source_totals_pkey" PRIMARY KEY ("dataset_id","key_hash")
);

-- AddForeignKey
ALTER TABLE "campaign_source_totals" ADD CONSTRAINT "campaign_source_totals_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: NULL until the first campaign refresh fills the totals (then in full).
ALTER TABLE "dataset_derived_state" ADD COLUMN "campaign_events_seen" BIGINT;
ALTER TABLE "dataset_derived_state" ADD COLUMN "campaign_codes" TEXT[];
