-- CreateEnum
CREATE TYPE "connector_kind" AS ENUM ('graph', 'log_analytics', 'logscale');

-- CreateEnum
CREATE TYPE "run_status" AS ENUM ('running', 'succeeded', 'failed');

-- AlterEnum
ALTER TYPE "import_status" ADD VALUE 'uploading' AFTER 'queued';

-- AlterTable
ALTER TABLE "import_jobs" ADD COLUMN "started_by_id" INTEGER,
ADD COLUMN "connector_run_id" INTEGER,
ADD COLUMN "upload_size" BIGINT,
ADD COLUMN "upload_received" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN "upload_path" TEXT;

-- CreateTable
CREATE TABLE "connectors" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "connector_kind" NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "secret_ciphertext" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "schedule_minutes" INTEGER,
    "slice_minutes" INTEGER NOT NULL DEFAULT 60,
    "initial_lookback_hours" INTEGER NOT NULL DEFAULT 168,
    "watermark" TIMESTAMPTZ(3),
    "last_run_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connectors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connector_runs" (
    "id" SERIAL NOT NULL,
    "connector_id" INTEGER NOT NULL,
    "started_by_id" INTEGER,
    "status" "run_status" NOT NULL DEFAULT 'running',
    "slices_total" INTEGER NOT NULL DEFAULT 0,
    "slices_done" INTEGER NOT NULL DEFAULT 0,
    "events_read" INTEGER NOT NULL DEFAULT 0,
    "events_inserted" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connector_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "connectors_name_key" ON "connectors"("name");

-- CreateIndex
CREATE INDEX "connector_runs_connector_id_started_at_idx" ON "connector_runs"("connector_id", "started_at");

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_started_by_id_fkey" FOREIGN KEY ("started_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_connector_run_id_fkey" FOREIGN KEY ("connector_run_id") REFERENCES "connector_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connector_runs" ADD CONSTRAINT "connector_runs_connector_id_fkey" FOREIGN KEY ("connector_id") REFERENCES "connectors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
