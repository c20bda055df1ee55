-- The overview's hourly activity and top source IPs, computed from the rollup once per change of
-- the datasets it covers (lib/overview/sql/refresh-activity.sql), so the overview does not read
-- every failed attempt of the dataset on each view. Scope: the dataset ids; version: their event
-- counts and newest events from the hourly summary.
CREATE TABLE "overview_activity" (
    "scope" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "hourly" JSONB NOT NULL,
    "top_sources" JSONB NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "overview_activity_pkey" PRIMARY KEY ("scope")
);
