-- CreateEnum
CREATE TYPE "dataset_source" AS ENUM ('upload', 'connector', 'demo');

-- CreateEnum
CREATE TYPE "import_status" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'not_applicable');

-- CreateTable
CREATE TABLE "datasets" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "source" "dataset_source" NOT NULL DEFAULT 'upload',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_jobs" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "file_name" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'cli',
    "detected_format" TEXT,
    "status" "import_status" NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "content_sha256" TEXT,
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "rows_inserted" INTEGER NOT NULL DEFAULT 0,
    "rows_duplicate" INTEGER NOT NULL DEFAULT 0,
    "rows_rejected" INTEGER NOT NULL DEFAULT 0,
    "rows_skipped" INTEGER NOT NULL DEFAULT 0,
    "min_event_time" TIMESTAMPTZ(3),
    "max_event_time" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rejected_rows" (
    "id" BIGSERIAL NOT NULL,
    "import_job_id" INTEGER NOT NULL,
    "record_number" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "excerpt" TEXT NOT NULL,

    CONSTRAINT "rejected_rows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_events" (
    "id" BIGSERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "import_job_id" INTEGER,
    "source_event_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "user_principal_name" TEXT NOT NULL DEFAULT '',
    "ip_address" inet,
    "client_app_used" TEXT NOT NULL DEFAULT '',
    "user_agent" TEXT NOT NULL DEFAULT '',
    "app_display_name" TEXT NOT NULL DEFAULT '',
    "app_id" TEXT,
    "error_code" TEXT,
    "failure_reason" TEXT,
    "location_city" TEXT,
    "location_state" TEXT,
    "location_country" TEXT,
    "autonomous_system" INTEGER,
    "is_interactive" BOOLEAN,
    "source_format" TEXT NOT NULL,
    "raw" JSON NOT NULL,

    CONSTRAINT "sign_in_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_hourly_rollup" (
    "dataset_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "key_hash" UUID NOT NULL,
    "ip_address" inet NOT NULL,
    "client_app_used" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL,
    "user_principal_name" TEXT NOT NULL,
    "error_code" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "app_names" TEXT[],

    CONSTRAINT "sign_in_hourly_rollup_pkey" PRIMARY KEY ("dataset_id","bucket","key_hash")
);

-- CreateIndex
CREATE UNIQUE INDEX "datasets_name_key" ON "datasets"("name");

-- CreateIndex
CREATE INDEX "import_jobs_dataset_id_created_at_idx" ON "import_jobs"("dataset_id", "created_at");

-- CreateIndex
CREATE INDEX "import_jobs_status_idx" ON "import_jobs"("status");

-- CreateIndex
CREATE INDEX "rejected_rows_import_job_id_record_number_idx" ON "rejected_rows"("import_job_id", "record_number");

-- CreateIndex
CREATE INDEX "sign_in_events_dataset_id_created_at_idx" ON "sign_in_events"("dataset_id", "created_at");

-- CreateIndex
CREATE INDEX "sign_in_events_dataset_id_ip_address_created_at_idx" ON "sign_in_events"("dataset_id", "ip_address", "created_at");

-- CreateIndex
CREATE INDEX "sign_in_events_import_job_id_idx" ON "sign_in_events"("import_job_id");

-- CreateIndex
CREATE UNIQUE INDEX "sign_in_events_dataset_id_source_event_id_key" ON "sign_in_events"("dataset_id", "source_event_id");

-- CreateIndex
CREATE INDEX "sign_in_hourly_rollup_dataset_id_error_code_bucket_idx" ON "sign_in_hourly_rollup"("dataset_id", "error_code", "bucket");

-- CreateIndex
CREATE INDEX "sign_in_hourly_rollup_dataset_id_ip_address_bucket_idx" ON "sign_in_hourly_rollup"("dataset_id", "ip_address", "bucket");

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rejected_rows" ADD CONSTRAINT "rejected_rows_import_job_id_fkey" FOREIGN KEY ("import_job_id") REFERENCES "import_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sign_in_events" ADD CONSTRAINT "sign_in_events_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sign_in_events" ADD CONSTRAINT "sign_in_events_import_job_id_fkey" FOREIGN KEY ("import_job_id") REFERENCES "import_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sign_in_hourly_rollup" ADD CONSTRAINT "sign_in_hourly_rollup_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
