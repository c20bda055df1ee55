-- What a campaign refresh reads of a source from the rollup, kept with its totals like its ASN and
-- cadence until its address gets events (forget-source-measures.sql), so that after an append only
-- the sources of the addresses it reached are read again, not a month of every attacker source:
-- its profile (the app most of its failures went to, its distinct usernames, failed attempts,
-- first and last failure) and the usernames it tried with what each revealed, as three arrays in
-- the same order. profile_known false: not read since. A full fill of the totals starts with none known.
-- AlterTable
ALTER TABLE "campaign_source_totals" ADD COLUMN "profile_known" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "campaign_source_totals" ADD COLUMN "app_name" TEXT;
ALTER TABLE "campaign_source_totals" ADD COLUMN "unique_usernames" INTEGER;
ALTER TABLE "campaign_source_totals" ADD COLUMN "failed_attempts" INTEGER;
ALTER TABLE "campaign_source_totals" ADD COLUMN "first_failed" TIMESTAMPTZ(3);
ALTER TABLE "campaign_source_totals" ADD COLUMN "last_failed" TIMESTAMPTZ(3);
ALTER TABLE "campaign_source_totals" ADD COLUMN "usernames" TEXT[];
ALTER TABLE "campaign_source_totals" ADD COLUMN "usernames_exist" BOOLEAN[];
ALTER TABLE "campaign_source_totals" ADD COLUMN "usernames_not_found" BOOLEAN[];
