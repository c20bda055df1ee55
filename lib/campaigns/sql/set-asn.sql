-- $1 addresses text[], $2 autonomous systems int[] (same order)
UPDATE campaign_work_sources s
SET autonomous_system = looked_up.autonomous_system
FROM unnest($1::inet[], $2::int[]) AS looked_up(ip_address, autonomous_system)
WHERE s.ip_address = looked_up.ip_address
