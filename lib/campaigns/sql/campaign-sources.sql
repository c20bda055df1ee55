-- $1 campaign id: its member sources, earliest first; $2 how many (NULL: all)
SELECT host(ip_address) AS ip_address, client_app_used, user_agent, unique_usernames, attempts,
       first_seen, last_seen, autonomous_system
FROM campaign_sources
WHERE campaign_id = $1::int
ORDER BY first_seen, ip_address, client_app_used, user_agent
LIMIT $2::int
