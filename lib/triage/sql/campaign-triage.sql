-- The triage state of one campaign (no row: nobody has worked on it yet).
-- $1 campaign id
SELECT t.id AS record_id, t.status, t.owner_id, owner.email AS owner_email, t.severity,
       t.classification, t.close_reason, t.closed_at, closer.email AS closed_by_email,
       t.review_status, reviewer.email AS reviewed_by_email, t.reviewed_at
FROM campaigns c
JOIN triage_records t
  ON t.dataset_id = c.dataset_id AND t.kind = 'campaign'
 AND t.bucket = TIMESTAMPTZ '1970-01-01 00:00:00+00' AND t.key_hash = c.campaign_key
LEFT JOIN users owner ON owner.id = t.owner_id
LEFT JOIN users closer ON closer.id = t.closed_by_id
LEFT JOIN users reviewer ON reviewer.id = t.reviewed_by_id
WHERE c.id = $1::int
