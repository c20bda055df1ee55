-- The member sources of every campaign just written replace the ones stored before.
WITH cleared AS (
    DELETE FROM campaign_sources
    WHERE campaign_id IN (SELECT campaign_id FROM campaign_work_campaigns)
)
INSERT INTO campaign_sources (
    campaign_id, ip_address, client_app_used, user_agent, unique_usernames, attempts,
    first_seen, last_seen, autonomous_system)
SELECT w.campaign_id, s.ip_address, s.client_app_used, s.user_agent, s.unique_usernames, s.attempts,
       s.first_seen, s.last_seen, s.autonomous_system
FROM campaign_work_sources s
JOIN campaign_work_campaigns w ON w.component = s.component
ORDER BY w.campaign_id, s.first_seen, s.ip_address, s.client_app_used, s.user_agent
