-- What the campaigns measure of a source from its events (lib/campaigns/refresh-campaigns.ts),
-- kept with its totals so that after an append only the sources whose addresses got events are
-- read again: the autonomous system its address's events carry most (events_asn; NULL: none) and
-- the steady cadence of its failures (cadence_seconds; NULL: none). *_known: measured since the
-- address last got events; a full fill of the totals starts with none known.
-- AlterTable
ALTER TABLE "campaign_source_totals" ADD COLUMN "events_asn" INTEGER;
ALTER TABLE "campaign_source_totals" ADD COLUMN "events_asn_known" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "campaign_source_totals" ADD COLUMN "cadence_seconds" DOUBLE PRECISION;
ALTER TABLE "campaign_source_totals" ADD COLUMN "cadence_known" BOOLEAN NOT NULL DEFAULT false;
-- The times of its failed attempts with the campaign codes and a username, which a campaign's
-- cadence is measured over (measure-campaigns.sql); NULL: not read since its address got events.
ALTER TABLE "campaign_source_totals" ADD COLUMN "failure_times" TIMESTAMPTZ(3)[];
