-- AlterTable
ALTER TABLE "datasets" ADD COLUMN "findings_computed_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "findings" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "key_hash" UUID NOT NULL,
    "ip_address" inet NOT NULL,
    "client_app_used" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL,
    "unique_usernames" INTEGER NOT NULL,
    "attempt_count" INTEGER NOT NULL,
    "username_sample" TEXT[],
    "app_list" TEXT[],
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" DOUBLE PRECISION NOT NULL,
    "enumeration_rate_per_min" DOUBLE PRECISION NOT NULL,
    "verdict" TEXT NOT NULL,
    "window_minutes" INTEGER NOT NULL,
    "error_codes" TEXT[],
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "findings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "findings_dataset_id_bucket_idx" ON "findings"("dataset_id", "bucket");

-- CreateIndex
CREATE INDEX "findings_ip_address_idx" ON "findings"("ip_address");

-- CreateIndex
CREATE UNIQUE INDEX "findings_dataset_id_bucket_key_hash_key" ON "findings"("dataset_id", "bucket", "key_hash");

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
