-- What a suppression rule would hide, before it is saved: the findings suppression_covers()
-- matches (the function apply-suppressions.sql applies saved rules with), most serious first (escalated, then
-- Critical, then by tier and usernames), with how many there are in all.
-- $1 dataset id (NULL: the rule covers every dataset)   $2 cidr (NULL: any source)
-- $3 every-username pattern   $4 user-agent pattern   $5 app name   $6 expiry (NULL: none)
-- $7 at most this many rows
WITH matched AS (
    SELECT f.id, f.dataset_id, d.name AS dataset_name, host(f.ip_address) AS ip_address, f.bucket, f.kind,
           f.verdict, f.unique_usernames, f.escalated, f.suppressed_by_id,
           (f.escalated OR t.severity::text = 'critical') AS critical
    FROM findings f
    JOIN datasets d ON d.id = f.dataset_id
    LEFT JOIN triage_records t ON t.dataset_id = f.dataset_id AND t.kind = f.kind AND t.bucket = f.bucket AND t.key_hash = f.key_hash
    WHERE ($1::int IS NULL OR f.dataset_id = $1::int)
      AND suppression_covers(f, $2::cidr, $3::text, $4::text, $5::text, $6::timestamptz)
)
SELECT m.*,
       count(*) OVER ()::int AS total,
       count(*) FILTER (WHERE m.critical) OVER ()::int AS critical_total,
       count(*) FILTER (WHERE m.verdict = 'High Confidence Enumeration') OVER ()::int AS high_total
FROM matched m
ORDER BY m.escalated DESC, m.critical DESC,
         array_position(ARRAY['High Confidence Enumeration','Moderate Enumeration','Low-Level Enumeration'], m.verdict::text),
         m.unique_usernames DESC, m.id
LIMIT $7::int
