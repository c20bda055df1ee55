-- Connector runs: what each run did on the wire (requests, retries by cause, tokens), which
-- process holds it (so a run whose process is gone is taken over at once), and backfills of a
-- chosen window with their own progress.

-- AlterTable
ALTER TABLE "connector_runs" ADD COLUMN "backfill" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "window_from" TIMESTAMPTZ(3),
ADD COLUMN "window_to" TIMESTAMPTZ(3),
ADD COLUMN "progress_to" TIMESTAMPTZ(3),
ADD COLUMN "requests" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "retries_throttled" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "retries_unavailable" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "retries_cut_body" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "retries_network" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "retries_token_expired" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "tokens_fetched" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "holder_host" TEXT,
ADD COLUMN "holder_pid" INTEGER,
ADD COLUMN "holder_start" TEXT,
ADD COLUMN "holder_boot" TEXT;

-- AlterTable
ALTER TABLE "connectors" ADD COLUMN "locked_by_run_id" INTEGER;

-- AlterTable
ALTER TABLE "datasets" ADD COLUMN "statistics_rows" BIGINT;
