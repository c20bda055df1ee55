-- The timeline of each campaign rebuilt: its sources' failed attempts with the campaign codes per
-- hour and source IP, from the hourly rollup. Read by the sources' addresses (the rollup's
-- (dataset_id, ip_address, bucket) index), each address once whatever the number of its sources.
-- $1 dataset id, $2 campaign codes text[]
INSERT INTO campaign_hours (campaign_id, bucket, ip_address, attempts)
SELECT s.campaign_id, r.bucket, host(r.ip_address), sum(r.attempts)::int
FROM sign_in_hourly_rollup r
JOIN campaign_sources s ON s.ip_address = r.ip_address
                       AND s.client_app_used = r.client_app_used
                       AND s.user_agent = r.user_agent
JOIN campaign_details_work w ON w.campaign_id = s.campaign_id AND NOT w.extend
WHERE r.dataset_id = $1::int AND r.error_code = ANY($2::text[])
  AND r.ip_address IN (SELECT s2.ip_address FROM campaign_sources s2 JOIN campaign_details_work w2 ON w2.campaign_id = s2.campaign_id AND NOT w2.extend)
GROUP BY s.campaign_id, r.bucket, host(r.ip_address)
