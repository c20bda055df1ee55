-- Pairs of sources that plausibly are one actor, with the reason, into campaign_work_edges.
-- $1 gap in hours                int     (settings.campaignGapHours)
-- $2 minimum shared usernames    int
-- $3 minimum shared fraction     float8  (of the smaller username list)
-- $4 overlap neighbours          int
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
),
-- Overlapping target lists. Each source meets the next $4 sources (in time order) that tried
-- the same username; the usernames a pair met on are its shared names. That is every shared
-- name when at most $4 + 1 sources tried each of them, and bounded work when thousands of
-- proxies spray one list (consecutive members of such a swarm still meet on most names). The
-- next $4 are a window frame over each username's sources: joining the username's rows to
-- themselves and keeping the near positions compared every pair of them first (k² rows for a
-- name k sources tried).
-- (The usernames are grouped byte-wise, COLLATE "C": only equal names need to meet, and equal
-- is byte-equal in any deterministic collation; a linguistic sort of them costs more.)
following AS (
    SELECT u.source_id, s.last_seen,
           array_agg(u.source_id) OVER next AS next_sources,
           array_agg(s.first_seen) OVER next AS next_first_seen
    FROM campaign_work_usernames u
    JOIN campaign_work_sources s ON s.id = u.source_id
    WINDOW next AS (PARTITION BY u.user_principal_name COLLATE "C" ORDER BY s.first_seen, s.id
                    ROWS BETWEEN 1 FOLLOWING AND $4::int FOLLOWING)
),
-- A later source (it starts no earlier) is within the gap of this one exactly when it starts no
-- later than the gap after this one's end: the pair test of `overlapping` below, taken before the
-- pairs are counted. Over a month of sprays most pairs met on a name are days apart: at 10 M
-- events after an appended hour, 1.1 M (source, next source) rows were counted into 490,000 pairs
-- for one pair within the gap.
met AS (
    SELECT f.source_id AS source_a, n.source_b, count(*) AS shared
    FROM following f
    CROSS JOIN LATERAL unnest(f.next_sources, f.next_first_seen) AS n(source_b, first_seen)
    CROSS JOIN gap
    WHERE n.first_seen <= f.last_seen + gap.span
    GROUP BY f.source_id, n.source_b
    HAVING count(*) >= $2::int
),
overlapping AS (
    SELECT m.source_a, m.source_b, m.shared, least(sa.unique_usernames, sb.unique_usernames) AS smaller
    FROM met m
    JOIN campaign_work_sources sa ON sa.id = m.source_a
    JOIN campaign_work_sources sb ON sb.id = m.source_b
    CROSS JOIN gap
    WHERE greatest(sa.first_seen, sb.first_seen) - least(sa.last_seen, sb.last_seen) <= gap.span
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
UNION ALL
SELECT source_a, source_b, 'overlapping target lists'
FROM overlapping
WHERE shared >= $3::float8 * smaller
