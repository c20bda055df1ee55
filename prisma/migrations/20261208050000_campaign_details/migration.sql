-- What a campaign's page shows beyond its totals, kept by the recompute (lib/campaigns/
-- campaign-details.ts, the "campaign details" step) instead of being read from the rollup on
-- every view: at 10 M events a campaign of a month's rotating sprays has hundreds of thousands
-- of rollup rows, and its page read them all each time. campaign_hours: its failed attempts with
-- the campaign codes per hour and source IP (the timeline); campaign_accounts: the accounts its
-- sources confirmed exist (the remediation list); campaign_details_state: the inputs the rows
-- were computed from (codes and member sources with their attempts), so a recompute rebuilds
-- only the campaigns whose inputs changed.
-- CreateTable: the address as host() text, as the page shows it.
CREATE TABLE "campaign_hours" (
    "campaign_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "ip_address" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "campaign_hours_pkey" PRIMARY KEY ("campaign_id","bucket","ip_address")
);

-- CreateTable: keyed by the md5 of the username (attacker-chosen text never in a btree).
CREATE TABLE "campaign_accounts" (
    "campaign_id" INTEGER NOT NULL,
    "key_hash" UUID NOT NULL,
    "user_principal_name" TEXT NOT NULL,
    "error_codes" TEXT[],
    "attempts" INTEGER NOT NULL,
    "first_probed" TIMESTAMPTZ(3) NOT NULL,
    "last_probed" TIMESTAMPTZ(3) NOT NULL,
    "source_ips" TEXT[],

    CONSTRAINT "campaign_accounts_pkey" PRIMARY KEY ("campaign_id","key_hash")
);

-- CreateTable
CREATE TABLE "campaign_details_state" (
    "campaign_id" INTEGER NOT NULL,
    "inputs_hash" TEXT NOT NULL,

    CONSTRAINT "campaign_details_state_pkey" PRIMARY KEY ("campaign_id")
);

-- AddForeignKey
ALTER TABLE "campaign_hours" ADD CONSTRAINT "campaign_hours_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "campaign_accounts" ADD CONSTRAINT "campaign_accounts_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "campaign_details_state" ADD CONSTRAINT "campaign_details_state_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Datasets with campaigns get their details at the next start, by a full recompute (as
-- mark-full.sql asks for one).
INSERT INTO "dataset_derived_state" AS s ("dataset_id", "status", "dirty_full", "full_cause", "requested_at")
SELECT DISTINCT c."dataset_id", 'pending', true, 'upgrade', now()
FROM "campaigns" c
ON CONFLICT ("dataset_id") DO UPDATE SET
    "status"       = CASE WHEN s."status" = 'running' THEN 'running' ELSE 'pending' END,
    "dirty_full"   = true,
    "full_cause"   = coalesce(s."full_cause", excluded."full_cause"),
    "requested_at" = excluded."requested_at";
