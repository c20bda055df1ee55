-- Whether dataset $1's findings were never computed (refresh-findings.sql stamps
-- findings_computed_at in the recompute's transaction, so a failed one leaves it NULL): its first
-- recompute, after its first imports, reads all of its events whatever the range says, and the
-- full path does that for a fraction of the scoped one's cost (which looks up each finding's
-- escalations one by one and every address's history in the range), with the same result
-- (tests/integration/recompute-property.test.ts).
SELECT findings_computed_at IS NULL AS never
FROM datasets
WHERE id = $1::int
