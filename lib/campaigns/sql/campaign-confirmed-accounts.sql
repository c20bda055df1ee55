-- The accounts a campaign's sources confirmed exist: every username that answered one of the
-- existing-account codes, with what it answered, how often, when and from where.
-- $1 campaign id, $2 existing-account codes text[]
SELECT r.user_principal_name,
       array_agg(DISTINCT r.error_code ORDER BY r.error_code) AS error_codes,
       sum(r.attempts)::int AS attempts,
       min(r.first_seen) AS first_probed,
       max(r.last_seen) AS last_probed,
       array_agg(DISTINCT host(r.ip_address) ORDER BY host(r.ip_address)) AS source_ips
FROM campaigns c
JOIN campaign_sources s ON s.campaign_id = c.id
JOIN sign_in_hourly_rollup r ON r.dataset_id = c.dataset_id
                            AND r.ip_address = s.ip_address
                            AND r.client_app_used = s.client_app_used
                            AND r.user_agent = s.user_agent
WHERE c.id = $1::int AND r.error_code = ANY($2::text[])
GROUP BY r.user_principal_name
ORDER BY r.user_principal_name
