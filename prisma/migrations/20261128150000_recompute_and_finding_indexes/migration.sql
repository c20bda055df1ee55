-- Sliding windows are now found by a sweep that also catches retried attempts, and rule expiries
-- are compared with when a finding began: findings computed before this change are recomputed
-- at the next start (refreshStaleFindings) rather than silently kept.
UPDATE "datasets" SET "findings_computed_at" = NULL;

-- CreateIndex
CREATE INDEX "findings_campaign_id_idx" ON "findings"("campaign_id");

-- CreateIndex
CREATE INDEX "findings_suppressed_by_id_idx" ON "findings"("suppressed_by_id");
