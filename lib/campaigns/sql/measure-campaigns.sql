-- Measures every component of two or more sources and keeps those whose combined distinct
-- usernames reach the low threshold, into campaign_work_campaigns.
-- $1 low threshold         int
-- $2 moderate threshold    int
-- $3 high threshold        int
-- $4 dataset id            int
WITH members AS (
    SELECT * FROM campaign_work_sources WHERE component IS NOT NULL
),
sized AS (
    SELECT component,
           count(*)::int AS source_count,
           count(DISTINCT ip_address)::int AS ip_count,
           count(DISTINCT user_agent)::int AS user_agent_count,
           sum(attempts)::int AS attempts,
           min(first_seen) AS first_seen,
           max(last_seen) AS last_seen
    FROM members
    GROUP BY component
    HAVING count(*) >= 2
),
component_names AS (
    -- each name once per component, whether any source saw it exist or not found: three
    -- count(DISTINCT …) per component sorted its 111,000 rows three times (0.25 s at 10 M).
    -- The names each source tried, and what they revealed, as its totals keep them
    -- (read-source-profiles.sql).
    SELECT m.component, u.user_principal_name,
           bool_or(u.account_exists) AS account_exists, bool_or(u.not_found) AS not_found
    FROM members m
    JOIN campaign_source_totals t ON t.dataset_id = $4::int AND t.key_hash = m.key_hash
    CROSS JOIN LATERAL unnest(t.usernames, t.usernames_exist, t.usernames_not_found) AS u(user_principal_name, account_exists, not_found)
    WHERE m.component IN (SELECT component FROM sized)
    GROUP BY m.component, u.user_principal_name
),
names AS (
    SELECT component,
           count(*)::int AS unique_usernames,
           count(*) FILTER (WHERE account_exists)::int AS confirmed_accounts,
           count(*) FILTER (WHERE not_found)::int AS not_found_usernames
    FROM component_names
    GROUP BY component
    HAVING count(*) >= $1::int
),
earliest AS (
    -- The key is the earliest source's identity: it stays the same while later sources join
    -- or leave, so the campaign keeps its id (and its links) across recomputations.
    SELECT DISTINCT ON (component) component,
           md5('campaign|' || host(ip_address) || '|' || length(client_app_used) || ':' || client_app_used ||
               length(user_agent) || ':' || user_agent)::uuid AS campaign_key
    FROM members
    WHERE component IN (SELECT component FROM names)
    ORDER BY component, first_seen, ip_address, client_app_used, user_agent
),
reasons AS (
    SELECT m.component, array_agg(DISTINCT e.reason ORDER BY e.reason) AS reasons
    FROM campaign_work_edges e
    JOIN members m ON m.id = e.source_a
    WHERE m.component IN (SELECT component FROM names)
    GROUP BY m.component
),
cadence AS (
    -- The median of the seconds between one attempt of the campaign and the next, whichever
    -- source made them (the members' failed attempts: member-times-from-totals.sql,
    -- member-times-from-events.sql). The times are put in order once, into an array, and each
    -- gap is read by position: a window (lag) over the unnested times sorted them and walked
    -- them again (a month's spray at 10 M events: 140,000 times, 0.4 s against 0.29 s).
    SELECT s.component,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.times[i] - s.times[i - 1])) AS cadence_seconds
    FROM (SELECT m.component, array_agg(a.at ORDER BY a.at) AS times
          FROM members m
          CROSS JOIN LATERAL unnest(m.failure_times) AS a(at)
          WHERE m.component IN (SELECT component FROM names)
          GROUP BY m.component) s
    CROSS JOIN LATERAL generate_series(2, cardinality(s.times)) AS i
    GROUP BY s.component
)
INSERT INTO campaign_work_campaigns (
    component, campaign_key, first_seen, last_seen, ip_count, user_agent_count, source_count,
    unique_usernames, attempts, confirmed_accounts, not_found_usernames, verdict, reasons, cadence_seconds)
SELECT s.component, k.campaign_key, s.first_seen, s.last_seen, s.ip_count, s.user_agent_count, s.source_count,
       n.unique_usernames, s.attempts, n.confirmed_accounts, n.not_found_usernames,
       -- the reference rule's tiers, applied to the campaign's combined usernames
       CASE WHEN n.unique_usernames >= $3::int THEN 'High Confidence Enumeration'
            WHEN n.unique_usernames >= $2::int THEN 'Moderate Enumeration'
            ELSE 'Low-Level Enumeration' END,
       coalesce(r.reasons, '{}'), c.cadence_seconds
FROM sized s
JOIN names n USING (component)
JOIN earliest k USING (component)
LEFT JOIN reasons r USING (component)
LEFT JOIN cadence c USING (component)
