SELECT DISTINCT host(ip_address) AS ip_address
FROM campaign_work_sources
WHERE autonomous_system IS NULL
