-- Failed attempts of a campaign's sources per hour and source IP, from the hourly rollup.
-- $1 campaign id, $2 campaign codes text[]
SELECT r.bucket, host(r.ip_address) AS ip_address, sum(r.attempts)::int AS attempts
FROM campaigns c
JOIN campaign_sources s ON s.campaign_id = c.id
JOIN sign_in_hourly_rollup r ON r.dataset_id = c.dataset_id
                            AND r.ip_address = s.ip_address
                            AND r.client_app_used = s.client_app_used
                            AND r.user_agent = s.user_agent
WHERE c.id = $1::int AND r.error_code = ANY($2::text[])
GROUP BY r.bucket, r.ip_address
ORDER BY r.bucket, r.ip_address
