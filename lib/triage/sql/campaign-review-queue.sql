-- The campaigns of the review queue: closed by an analyst and waiting for a lead (or, as the
-- queue's Review filter asks, approved or reopened), with what a lead reviews: who closed it,
-- how it was classified and why. Oldest closure first: the one waiting longest comes first.
-- $1 dataset ids int[] (NULL: all)   $2 review status text
-- $3 from timestamptz, $4 to timestamptz (NULL: open): campaigns active in [from, to), as the
--    findings view's time range reads
SELECT c.id, c.dataset_id, d.name AS dataset_name, c.verdict, c.ip_count, c.unique_usernames,
       c.attempts, c.first_seen, c.last_seen,
       t.status::text AS triage_status, t.review_status::text AS review_status,
       t.classification::text AS classification, t.close_reason, t.closed_at,
       closer.email AS closed_by_email, o.email AS owner_email
FROM triage_records t
JOIN campaigns c
  ON c.dataset_id = t.dataset_id AND c.campaign_key = t.key_hash
JOIN datasets d ON d.id = c.dataset_id
LEFT JOIN users closer ON closer.id = t.closed_by_id
LEFT JOIN users o ON o.id = t.owner_id
WHERE t.kind = 'campaign' AND t.bucket = TIMESTAMPTZ '1970-01-01 00:00:00+00'
  AND t.review_status::text = $2::text
  AND ($1::int[] IS NULL OR t.dataset_id = ANY($1::int[]))
  AND ($3::timestamptz IS NULL OR c.last_seen >= $3::timestamptz)
  AND ($4::timestamptz IS NULL OR c.first_seen < $4::timestamptz)
ORDER BY t.closed_at NULLS LAST, c.id
LIMIT 500 -- CAMPAIGN_REVIEW_LIMIT (campaign-review-queue.ts)
