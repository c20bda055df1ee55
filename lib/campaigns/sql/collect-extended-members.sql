-- The member sources of the campaigns extended, each with whether it joined since their rows
-- were built (its key is not among the members they were built from).
INSERT INTO campaign_details_members (campaign_id, ip_address, client_app_used, user_agent, joined)
WITH built_from AS (
    SELECT d.campaign_id, k.key_hash
    FROM campaign_details_work w
    JOIN campaign_details_state d ON d.campaign_id = w.campaign_id
    CROSS JOIN LATERAL unnest(d.member_keys) AS k(key_hash)
    WHERE w.extend
)
SELECT s.campaign_id, s.ip_address, s.client_app_used, s.user_agent, b.key_hash IS NULL
FROM campaign_details_work w
JOIN campaign_sources s ON s.campaign_id = w.campaign_id
LEFT JOIN built_from b
       ON b.campaign_id = s.campaign_id
      AND b.key_hash = campaign_source_key(s.ip_address, s.client_app_used, s.user_agent)
WHERE w.extend
