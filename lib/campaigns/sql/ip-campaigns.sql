-- The campaigns source IP $1 is a member of (with any client app and user agent), for its page.
-- $1 ip inet, $2 dataset ids int[] (NULL: all)
SELECT DISTINCT ON (c.id) c.id, c.dataset_id, d.name AS dataset_name, c.verdict, c.unique_usernames,
       c.ip_count, c.first_seen, c.last_seen, coalesce(t.status::text, 'new') AS triage_status
FROM campaign_sources s
JOIN campaigns c ON c.id = s.campaign_id
JOIN datasets d ON d.id = c.dataset_id
LEFT JOIN triage_records t
       ON t.dataset_id = c.dataset_id AND t.kind = 'campaign'
      AND t.bucket = TIMESTAMPTZ '1970-01-01 00:00:00+00' AND t.key_hash = c.campaign_key
WHERE s.ip_address = $1::inet
  AND ($2::int[] IS NULL OR c.dataset_id = ANY($2::int[]))
ORDER BY c.id
