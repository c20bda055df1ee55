-- The findings the detectors before may have changed: new ones (an id above the highest before
-- the recompute) and those of a source IP in derive_scope whose window reaches the recomputed
-- time range [$3, $4) (the only ones whose events, and so whose measures, can have changed).
-- Escalations and suppressions read nothing else of a finding of its own.
-- $1 dataset id, $2 highest finding id before the recompute, $3 from timestamptz, $4 to timestamptz
INSERT INTO derive_changed_findings (finding_id)
SELECT f.id
FROM findings f
WHERE f.dataset_id = $1::int
  AND (f.id > $2::int
       OR (f.ip_address IN (SELECT ip_address FROM derive_scope)
           AND f.bucket < $4::timestamptz
           AND f.bucket + make_interval(mins => f.window_minutes) > $3::timestamptz))
