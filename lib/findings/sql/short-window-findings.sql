-- The dataset's hourly and sliding findings: what a low-and-slow window must not repeat.
-- $1 dataset id
SELECT host(ip_address) AS ip_address, client_app_used, user_agent, bucket, window_minutes
FROM findings
WHERE dataset_id = $1::int AND kind IN ('hourly', 'sliding')
