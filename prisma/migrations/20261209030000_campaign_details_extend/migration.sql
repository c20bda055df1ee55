-- What a campaign's hours and accounts were built from, beyond the hash of all its inputs, so a
-- recompute after an append can extend them by the appended hours and the sources that joined
-- instead of reading every rollup row of the campaign again (lib/campaigns/campaign-details.ts):
-- the codes (codes_hash), the member sources (member_keys: their campaign_source_totals keys,
-- sorted) and the last failure they held (built_last_seen). NULL (rows built before): rebuilt.
-- AlterTable
ALTER TABLE "campaign_details_state" ADD COLUMN "codes_hash" TEXT;
ALTER TABLE "campaign_details_state" ADD COLUMN "member_keys" UUID[];
ALTER TABLE "campaign_details_state" ADD COLUMN "built_last_seen" TIMESTAMPTZ(3);
