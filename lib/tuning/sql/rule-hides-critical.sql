-- How many Critical findings a rule hides once applied: escalated (a probed password proved
-- right) or set to Critical by hand; the same test as the preview's `critical` column
-- (preview-suppression.sql).
-- $1 rule id
SELECT count(*)::int AS critical
FROM findings f
LEFT JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
WHERE f.suppressed_by_id = $1::int
  AND (f.escalated OR t.severity::text = 'critical')
