-- Findings, windows, campaigns, yield, escalations and suppressions are derived after an import
-- commits, by a per-dataset recompute (lib/derive/); this table says whether that is up to date
-- and which time range of appended events is still to be recomputed.
-- CreateTable
CREATE TABLE "dataset_derived_state" (
    "dataset_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'current',
    "error" TEXT,
    "dirty_full" BOOLEAN NOT NULL DEFAULT false,
    "full_cause" TEXT,
    "dirty_from" TIMESTAMPTZ(6),
    "dirty_to" TIMESTAMPTZ(6),
    "requested_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "last_run" JSONB,
    "failures" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "dataset_derived_state_pkey" PRIMARY KEY ("dataset_id")
);

-- CreateIndex
CREATE INDEX "dataset_derived_state_status_idx" ON "dataset_derived_state"("status");

-- AddForeignKey
ALTER TABLE "dataset_derived_state" ADD CONSTRAINT "dataset_derived_state_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Datasets whose findings predate their last import (or were never computed) are recomputed in
-- full at the next start, as refreshStaleFindings did.
INSERT INTO "dataset_derived_state" ("dataset_id", "status", "dirty_full", "full_cause", "requested_at")
SELECT d."id", 'pending', true, 'upgrade', now()
FROM "datasets" d
WHERE d."findings_computed_at" IS NULL
   OR d."findings_computed_at" < (SELECT max(j."finished_at") FROM "import_jobs" j WHERE j."dataset_id" = d."id");
