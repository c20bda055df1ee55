-- The autonomous system of each source address as the sign-in log recorded it (the value most
-- events of the address carry). Addresses whose events carry none stay NULL and are looked up
-- offline (lib/campaigns/asn-lookup.ts).
-- $1 dataset id
UPDATE campaign_work_sources s
SET autonomous_system = e.autonomous_system
FROM (
    SELECT ip_address, mode() WITHIN GROUP (ORDER BY autonomous_system) AS autonomous_system
    FROM sign_in_events
    WHERE dataset_id = $1::int
      AND ip_address IN (SELECT ip_address FROM campaign_work_sources)
      AND autonomous_system IS NOT NULL
    GROUP BY ip_address
) e
WHERE s.ip_address = e.ip_address
