-- Every source (IP, client app, user agent) of dataset $1 with all its attempts and its failures
-- with the campaign codes $2, from the hourly rollup: the full recompute's one pass over it.
INSERT INTO campaign_source_totals (dataset_id, key_hash, ip_address, client_app_used, user_agent, attempts, failed)
SELECT $1::int,
       campaign_source_key(ip_address, client_app_used, user_agent),
       ip_address, client_app_used, user_agent,
       sum(attempts), coalesce(sum(attempts) FILTER (WHERE error_code = ANY($2::text[])), 0)
FROM sign_in_hourly_rollup
WHERE dataset_id = $1::int
GROUP BY ip_address, client_app_used, user_agent
