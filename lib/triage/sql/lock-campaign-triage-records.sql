-- The campaigns about to change with their triage records, locked until the transaction ends.
-- A campaign is Critical when one of its findings' probed passwords proved right.
-- $1 campaign ids int[]
SELECT c.id AS subject_id, c.verdict,
       EXISTS (SELECT 1 FROM findings f WHERE f.campaign_id = c.id AND f.escalated) AS escalated,
       t.id AS triage_id, t.status, t.owner_id, t.severity, t.classification, t.close_reason, t.review_status
FROM campaigns c
JOIN triage_records t
  ON t.dataset_id = c.dataset_id AND t.kind = 'campaign'
 AND t.bucket = TIMESTAMPTZ '1970-01-01 00:00:00+00' AND t.key_hash = c.campaign_key
WHERE c.id = ANY($1::int[])
ORDER BY t.id
FOR UPDATE OF t
