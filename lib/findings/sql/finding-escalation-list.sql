-- One finding's escalations, earliest first. $1 finding id
SELECT user_principal_name, event_id, event_time, error_code, host(ip_address) AS ip_address, relation
FROM finding_escalations
WHERE finding_id = $1::int
ORDER BY event_time, user_principal_name
