-- The findings about to change with their triage records, locked until the transaction ends so
-- two analysts acting at once take turns instead of overwriting each other.
-- $1 finding ids int[]
SELECT f.id AS subject_id, f.verdict, f.escalated, t.id AS triage_id, t.status, t.owner_id, t.severity,
       t.classification, t.close_reason, t.review_status
FROM findings f
JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
WHERE f.id = ANY($1::int[])
ORDER BY t.id
FOR UPDATE OF t
