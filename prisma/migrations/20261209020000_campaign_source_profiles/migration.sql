-- What a campaign refresh reads of a source from the rollup, kept with its totals like its ASN and
-- cadence until its address gets events (forget-source-measures.sql), so that after an append only
-- the sources of the addresses it reached are read again, not a month of every attacker source:
-- its profile (the app most of its failures went to, its distinct usernames, failed attempts,
-- first and last failure; profile_known false: not read since) and the usernames it tried with
-- what each revealed (campaign_source_usernames). A full fill of the totals starts with none known.
-- AlterTable
ALTER TABLE "campaign_source_totals" ADD COLUMN "profile_known" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "campaign_source_totals" ADD COLUMN "app_name" TEXT;
ALTER TABLE "campaign_source_totals" ADD COLUMN "unique_usernames" INTEGER;
ALTER TABLE "campaign_source_totals" ADD COLUMN "failed_attempts" INTEGER;
ALTER TABLE "campaign_source_totals" ADD COLUMN "first_failed" TIMESTAMPTZ(3);
ALTER TABLE "campaign_source_totals" ADD COLUMN "last_failed" TIMESTAMPTZ(3);

-- CreateTable: keyed by the md5 of the source and of the username (attacker-chosen text never in a btree).
CREATE TABLE "campaign_source_usernames" (
    "dataset_id" INTEGER NOT NULL,
    "key_hash" UUID NOT NULL,
    "name_hash" UUID NOT NULL,
    "user_principal_name" TEXT NOT NULL,
    "account_exists" BOOLEAN NOT NULL,
    "not_found" BOOLEAN NOT NULL,

    CONSTRAINT "campaign_source_usernames_pkey" PRIMARY KEY ("dataset_id","key_hash","name_hash")
);

-- AddForeignKey
ALTER TABLE "campaign_source_usernames" ADD CONSTRAINT "campaign_source_usernames_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
