-- Low and slow: for every (IP, client app, user agent), the windows of $5 (hours long)
-- starting at an hour with failures that reach $6 distinct usernames, read from the rollup.
-- Over a day any busy address collects that many typos, lockouts and expired passwords (an
-- office NAT, a VPN egress), so only sources whose sign-ins are mostly failures (with the rule's
-- codes, 50126 or 50057) count: a tool fails nearly every time, people mostly succeed.
-- $1 dataset id, $2 error codes text[], $5 window interval, $6 threshold ($3, $4: NULL),
-- $7 minimum failure share float8
-- Only the source IPs of the recompute's derive_scope table (lib/derive/scope.ts). Whether a
-- source mostly fails is read from its totals over its whole history (campaign_source_totals,
-- lib/campaigns/source-totals.ts), which the recompute's "source totals" step brings up to date
-- for the failure codes before this one runs (lib/derive/detectors.ts): re-reading the history
-- of every address after every append took ~31 s at 10 M events.
WITH failing AS MATERIALIZED (
    -- The scope's sources that mostly fail: only their history is read below. The other sources
    -- of the same addresses (an office NAT's month of typos, lockouts and expired passwords)
    -- never qualify, and they are most of the rows: 46,744 rule-code rows for the 243 addresses
    -- an appended hour reached at 10 M events, 3,457 of them of sources that mostly fail.
    SELECT t.ip_address, t.client_app_used, t.user_agent
    FROM campaign_source_totals t
    WHERE t.dataset_id = $1::int
      AND t.ip_address IN (SELECT ip_address FROM derive_scope)
      AND t.failed > $7::float8 * t.attempts
),
hourly AS (
    -- Address by address, each read once by the rollup's address index and its rows kept when
    -- their source is a failing one (hashed): joined source by source, an address with many
    -- sources (a NAT's users' browsers) was read again for each, 2,148 reads instead of 336.
    SELECT r.ip_address, r.client_app_used, r.user_agent, r.bucket, r.user_principal_name
    FROM (SELECT DISTINCT ip_address FROM failing) a
    CROSS JOIN LATERAL (
        SELECT r.ip_address, r.client_app_used, r.user_agent, r.bucket, r.user_principal_name
        FROM sign_in_hourly_rollup r
        WHERE r.dataset_id = $1::int AND r.ip_address = a.ip_address AND r.error_code = ANY($2::text[])
          AND ($3::timestamptz IS NULL OR r.bucket >= $3::timestamptz)
          AND ($4::timestamptz IS NULL OR r.bucket < $4::timestamptz)
        OFFSET 0
    ) r
    WHERE (r.ip_address, r.client_app_used, r.user_agent) IN (SELECT ip_address, client_app_used, user_agent FROM failing)
    GROUP BY r.ip_address, r.client_app_used, r.user_agent, r.bucket, r.user_principal_name
),
reaching AS MATERIALIZED (
    -- only sources that reach the threshold at all are worth windowing (materialised: inlined,
    -- the planner re-aggregated it once per row of presence)
    SELECT ip_address, client_app_used, user_agent
    FROM hourly
    GROUP BY ip_address, client_app_used, user_agent
    HAVING count(DISTINCT user_principal_name) >= $6::int
),
presence AS (
    SELECT h.ip_address, h.client_app_used, h.user_agent, h.bucket, h.user_principal_name
    FROM hourly h
    JOIN reaching USING (ip_address, client_app_used, user_agent)
),
-- A window starting at hour s holds a user seen in hour b when s is in (b - $5, b]. Each user's
-- hours less than a window apart make one such range; the distinct users of a window are the
-- ranges open at its start, counted by one running sum (as in sliding-windows.sql): the work
-- follows the rows, where joining every start to every hour after it grew with their product.
steps AS (
    SELECT ip_address, client_app_used, user_agent, user_principal_name, bucket,
           CASE WHEN bucket - lag(bucket) OVER same_user < $5::interval THEN 0 ELSE 1 END AS opens_range
    FROM presence
    WINDOW same_user AS (PARTITION BY ip_address, client_app_used, user_agent, user_principal_name ORDER BY bucket)
),
ranges AS (
    SELECT ip_address, client_app_used, user_agent, min(bucket) - $5::interval AS opens, max(bucket) AS closes
    FROM (SELECT *, sum(opens_range) OVER (PARTITION BY ip_address, client_app_used, user_agent, user_principal_name ORDER BY bucket) AS range_no
          FROM steps) numbered
    GROUP BY ip_address, client_app_used, user_agent, user_principal_name, range_no
),
sweep AS (
    -- at equal times a window start (0) is counted before the ends (1): the ranges are open below
    SELECT ip_address, client_app_used, user_agent, opens AS at, 1 AS rank, 1 AS delta FROM ranges
    UNION ALL
    SELECT ip_address, client_app_used, user_agent, closes, 1, -1 FROM ranges
    UNION ALL
    SELECT DISTINCT ip_address, client_app_used, user_agent, bucket, 0, 0 FROM presence
),
counted AS (
    SELECT ip_address, client_app_used, user_agent, at, rank,
           sum(delta) OVER (PARTITION BY ip_address, client_app_used, user_agent ORDER BY at, rank ROWS UNBOUNDED PRECEDING) AS users
    FROM sweep
)
SELECT host(ip_address) AS ip_address, client_app_used, user_agent, at AS window_start, users::int AS unique_usernames
FROM counted
WHERE rank = 0 AND users >= $6::int
ORDER BY 1, 2, 3, 4
