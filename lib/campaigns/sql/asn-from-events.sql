-- The autonomous system of each source address as the sign-in log recorded it: the value most
-- of its first 1,000 events that carry one carry (an address's AS does not change within an
-- incident, and a month of a busy attacker address is 100,000s of events, read again whenever an
-- append reaches it). Addresses whose events carry none stay NULL and are looked up offline
-- (lib/campaigns/asn-lookup.ts).
-- Read address by address from the events' (ip_address, created_at) index: an aggregate in
-- LATERAL is never turned into a join, where the planner, misjudging the addresses' share,
-- hashed them against a scan of every event of the dataset (after a one-hour append, most of
-- the recompute's time, and growing with the dataset).
-- Only the addresses of which a source's ASN the totals did not know (asn-from-totals.sql):
-- an address that got events since has all its sources forgotten, so the others agree.
-- $1 dataset id
UPDATE campaign_work_sources s
SET autonomous_system = e.autonomous_system
FROM (
    SELECT a.ip_address, m.autonomous_system
    FROM (SELECT DISTINCT ip_address FROM campaign_work_sources WHERE NOT asn_known) a
    CROSS JOIN LATERAL (
        SELECT mode() WITHIN GROUP (ORDER BY first.autonomous_system) AS autonomous_system
        FROM (
            SELECT autonomous_system
            FROM sign_in_events
            WHERE dataset_id = $1::int
              AND ip_address = a.ip_address
              AND autonomous_system IS NOT NULL
            ORDER BY created_at, id
            LIMIT 1000
        ) first
    ) m
    WHERE m.autonomous_system IS NOT NULL
) e
WHERE s.ip_address = e.ip_address
  AND NOT s.asn_known
