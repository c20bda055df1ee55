-- The triage state of one finding (no row: nobody has worked on it yet).
-- $1 finding id
SELECT t.id AS record_id, t.status, t.owner_id, owner.email AS owner_email, t.severity,
       t.classification, t.close_reason, t.closed_at, closer.email AS closed_by_email,
       t.review_status, reviewer.email AS reviewed_by_email, t.reviewed_at
FROM findings f
JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
LEFT JOIN users owner ON owner.id = t.owner_id
LEFT JOIN users closer ON closer.id = t.closed_by_id
LEFT JOIN users reviewer ON reviewer.id = t.reviewed_by_id
WHERE f.id = $1::int
