-- $1 campaign id: the findings of its sources
SELECT id, kind, bucket, host(ip_address) AS ip_address, unique_usernames, verdict
FROM findings
WHERE campaign_id = $1::int
ORDER BY bucket, ip_address, kind, id
