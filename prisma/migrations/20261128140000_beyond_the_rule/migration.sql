-- DropIndex
DROP INDEX "findings_dataset_id_bucket_key_hash_key";

-- DropIndex
DROP INDEX "triage_records_dataset_id_bucket_key_hash_key";

-- AlterTable
ALTER TABLE "findings" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'hourly',
ADD COLUMN "not_found_usernames" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "confirmed_accounts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "sliding_peak_usernames" INTEGER,
ADD COLUMN "sliding_peak_start" TIMESTAMPTZ(3),
ADD COLUMN "sliding_verdict" TEXT,
ADD COLUMN "escalated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "suppressed_by_id" INTEGER,
ADD COLUMN "campaign_id" INTEGER;

-- AlterTable
ALTER TABLE "triage_records" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'hourly';

-- CreateTable
CREATE TABLE "finding_escalations" (
    "id" SERIAL NOT NULL,
    "finding_id" INTEGER NOT NULL,
    "user_principal_name" TEXT NOT NULL,
    "event_id" BIGINT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "error_code" TEXT NOT NULL,
    "ip_address" inet NOT NULL,
    "relation" TEXT NOT NULL,

    CONSTRAINT "finding_escalations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppression_rules" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "dataset_id" INTEGER,
    "cidr" cidr,
    "upn_pattern" TEXT,
    "user_agent_pattern" TEXT,
    "app_name" TEXT,
    "reason" TEXT NOT NULL,
    "owner_id" INTEGER,
    "created_by_id" INTEGER,
    "template" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppression_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "detection_settings" (
    "dataset_id" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "updated_by_id" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "detection_settings_pkey" PRIMARY KEY ("dataset_id")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "campaign_key" UUID NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "ip_count" INTEGER NOT NULL,
    "user_agent_count" INTEGER NOT NULL,
    "source_count" INTEGER NOT NULL,
    "unique_usernames" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "confirmed_accounts" INTEGER NOT NULL DEFAULT 0,
    "not_found_usernames" INTEGER NOT NULL DEFAULT 0,
    "verdict" TEXT,
    "reasons" TEXT[],
    "cadence_seconds" DOUBLE PRECISION,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_sources" (
    "id" SERIAL NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "ip_address" inet NOT NULL,
    "client_app_used" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL,
    "unique_usernames" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "autonomous_system" INTEGER,

    CONSTRAINT "campaign_sources_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "findings_dataset_id_kind_bucket_key_hash_key" ON "findings"("dataset_id", "kind", "bucket", "key_hash");

-- CreateIndex
CREATE UNIQUE INDEX "triage_records_dataset_id_kind_bucket_key_hash_key" ON "triage_records"("dataset_id", "kind", "bucket", "key_hash");

-- CreateIndex
CREATE INDEX "finding_escalations_finding_id_idx" ON "finding_escalations"("finding_id");

-- CreateIndex
CREATE UNIQUE INDEX "campaigns_dataset_id_campaign_key_key" ON "campaigns"("dataset_id", "campaign_key");

-- CreateIndex
CREATE INDEX "campaign_sources_campaign_id_idx" ON "campaign_sources"("campaign_id");

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_suppressed_by_id_fkey" FOREIGN KEY ("suppressed_by_id") REFERENCES "suppression_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_escalations" ADD CONSTRAINT "finding_escalations_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "findings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suppression_rules" ADD CONSTRAINT "suppression_rules_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suppression_rules" ADD CONSTRAINT "suppression_rules_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "detection_settings" ADD CONSTRAINT "detection_settings_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_sources" ADD CONSTRAINT "campaign_sources_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
