-- The dataset's hourly and sliding findings with their distinct usernames: how much of a
-- low-and-slow window the shorter windows already report.
-- $1 dataset id
SELECT host(ip_address) AS ip_address, client_app_used, user_agent, bucket, window_minutes, unique_usernames
FROM findings
WHERE dataset_id = $1::int AND kind IN ('hourly', 'sliding')
