-- The accounts each campaign rebuilt confirmed exist: every username that answered one of the
-- existing-account codes the campaign counts, with what it answered, how often, when and from
-- where. Read like fill-campaign-hours.sql.
-- $1 dataset id, $2 existing-account codes the campaigns count text[]
INSERT INTO campaign_accounts (campaign_id, key_hash, user_principal_name, error_codes, attempts,
                               first_probed, last_probed, source_ips)
SELECT s.campaign_id, md5(r.user_principal_name)::uuid, r.user_principal_name,
       array_agg(DISTINCT r.error_code ORDER BY r.error_code),
       sum(r.attempts)::int,
       min(r.first_seen),
       max(r.last_seen),
       array_agg(DISTINCT host(r.ip_address) ORDER BY host(r.ip_address))
FROM sign_in_hourly_rollup r
JOIN campaign_sources s ON s.ip_address = r.ip_address
                       AND s.client_app_used = r.client_app_used
                       AND s.user_agent = r.user_agent
JOIN campaign_details_work w ON w.campaign_id = s.campaign_id AND NOT w.extend
WHERE r.dataset_id = $1::int AND r.error_code = ANY($2::text[])
  AND r.ip_address IN (SELECT s2.ip_address FROM campaign_sources s2 JOIN campaign_details_work w2 ON w2.campaign_id = s2.campaign_id AND NOT w2.extend)
GROUP BY s.campaign_id, r.user_principal_name
