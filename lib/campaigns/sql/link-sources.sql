-- Pairs of sources that plausibly are one actor, with the reason, into campaign_work_edges.
-- $1 gap in hours                int     (settings.campaignGapHours)
--
-- (Overlapping target lists, the last rule, is counted in Node: ../overlap-pairs.ts.)
--
-- Most rules group sources by a key and link those whose activity lies within the gap
-- of each other. Sorted by first activity, a source is within the gap of some earlier source
-- of its group exactly when it starts no later than the latest end so far plus the gap; so
-- linking each such source to the one before it gives the same components as comparing every
-- pair, with one pair per source instead of n² per group.
WITH gap AS (
    SELECT make_interval(hours => $1::int) AS span
),
-- the same tool fingerprint (user agent, client app, app) from several addresses of one network
same_network AS (
    SELECT id, first_seen, network,
           lag(id) OVER w AS previous,
           max(last_seen) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM campaign_work_sources
    WINDOW w AS (PARTITION BY user_agent, client_app_used, app_name, network ORDER BY first_seen, id)
),
-- the same tool fingerprint from several addresses of one autonomous system
same_asn AS (
    SELECT id, first_seen, autonomous_system,
           lag(id) OVER w AS previous,
           max(last_seen) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM campaign_work_sources
    WHERE autonomous_system IS NOT NULL
    WINDOW w AS (PARTITION BY user_agent, client_app_used, app_name, autonomous_system ORDER BY first_seen, id)
),
-- Several addresses of one network or AS keeping the same steady rhythm at the same time,
-- whatever their user agents: one scheduler behind rotating proxies. The bands of alike
-- cadences come from cadence-bands.ts; in a band, only sources active at the same time are
-- linked (not merely within the gap: a rhythm is common enough that a day apart it proves nothing).
same_cadence_network AS (
    SELECT id, first_seen,
           lag(id) OVER w AS previous,
           max(last_seen) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM campaign_work_sources
    WHERE network_band IS NOT NULL
    WINDOW w AS (PARTITION BY network_band ORDER BY first_seen, id)
),
same_cadence_asn AS (
    SELECT id, first_seen,
           lag(id) OVER w AS previous,
           max(last_seen) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM campaign_work_sources
    WHERE asn_band IS NOT NULL
    WINDOW w AS (PARTITION BY asn_band ORDER BY first_seen, id)
),
-- one address changing its user agent (or client app) between attempts
same_address AS (
    SELECT id, first_seen, user_agent,
           lag(id) OVER w AS previous,
           lag(user_agent) OVER w AS previous_user_agent,
           max(last_seen) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM campaign_work_sources
    WINDOW w AS (PARTITION BY ip_address ORDER BY first_seen, id)
)
INSERT INTO campaign_work_edges (source_a, source_b, reason)
SELECT previous, id, CASE WHEN family(network) = 4 THEN 'shared /24' ELSE 'shared /48' END
FROM same_network, gap WHERE previous IS NOT NULL AND first_seen <= reach + gap.span
UNION ALL
SELECT previous, id, 'same user agent across IPs'
FROM same_network, gap WHERE previous IS NOT NULL AND first_seen <= reach + gap.span
UNION ALL
SELECT previous, id, 'same ASN AS' || autonomous_system
FROM same_asn, gap WHERE previous IS NOT NULL AND first_seen <= reach + gap.span
UNION ALL
SELECT previous, id, 'same user agent across IPs'
FROM same_asn, gap WHERE previous IS NOT NULL AND first_seen <= reach + gap.span
UNION ALL
SELECT previous, id, CASE WHEN user_agent = previous_user_agent THEN 'client-app rotation' ELSE 'user-agent rotation' END
FROM same_address, gap WHERE previous IS NOT NULL AND first_seen <= reach + gap.span
UNION ALL
SELECT previous, id, 'same cadence in one network'
FROM same_cadence_network WHERE previous IS NOT NULL AND first_seen <= reach
UNION ALL
SELECT previous, id, 'same cadence in one AS'
FROM same_cadence_asn WHERE previous IS NOT NULL AND first_seen <= reach
