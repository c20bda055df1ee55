-- Low and slow: for every (IP, client app, user agent), the windows of $5 (hours long)
-- starting at an hour with failures that reach $6 distinct usernames, read from the rollup.
-- Over a day any busy address collects that many typos, lockouts and expired passwords (an
-- office NAT, a VPN egress), so only sources whose sign-ins are mostly failures with the codes
-- $8 count: a tool fails nearly every time, people mostly succeed.
-- $1 dataset id, $2 error codes text[], $5 window interval, $6 threshold ($3, $4: NULL),
-- $7 minimum failure share float8, $8 failure codes text[] (the rule's plus 50126, 50057)
-- Only the source IPs of the recompute's derive_scope table (lib/derive/scope.ts).
WITH totals_ready AS (
    -- the recompute keeps each source's share over its whole history (campaign_source_totals,
    -- lib/campaigns/source-totals.ts); when they count the codes $8 they are read instead of the
    -- history of every address again after every append
    SELECT EXISTS (SELECT 1 FROM dataset_derived_state
                   WHERE dataset_id = $1::int AND campaign_events_seen IS NOT NULL AND campaign_codes = $8::text[]) AS ready
),
failing AS MATERIALIZED (
    -- With the totals: the scope's sources that mostly fail, so that only their history is read
    -- below. The other sources of the same addresses (an office NAT's month of typos, lockouts
    -- and expired passwords) never qualify, and they are most of the rows: 46,744 rule-code rows
    -- for the 243 addresses an appended hour reached at 10 M events, 3,457 of them of sources
    -- that mostly fail.
    SELECT t.ip_address, t.client_app_used, t.user_agent
    FROM campaign_source_totals t
    WHERE (SELECT ready FROM totals_ready)
      AND t.dataset_id = $1::int
      AND t.ip_address IN (SELECT ip_address FROM derive_scope)
      AND t.failed > $7::float8 * t.attempts
),
hourly AS (
    SELECT ip_address, client_app_used, user_agent, bucket, user_principal_name
    FROM sign_in_hourly_rollup r
    WHERE dataset_id = $1::int AND error_code = ANY($2::text[])
      AND ip_address IN (SELECT ip_address FROM failing
                         UNION ALL
                         SELECT ip_address FROM derive_scope WHERE NOT (SELECT ready FROM totals_ready))
      AND (NOT (SELECT ready FROM totals_ready)
           OR EXISTS (SELECT 1 FROM failing f
                      WHERE f.ip_address = r.ip_address AND f.client_app_used = r.client_app_used AND f.user_agent = r.user_agent))
      AND ($3::timestamptz IS NULL OR bucket >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR bucket < $4::timestamptz)
    GROUP BY ip_address, client_app_used, user_agent, bucket, user_principal_name
),
reaching AS (
    -- only sources that reach the threshold at all are worth windowing
    SELECT ip_address, client_app_used, user_agent
    FROM hourly
    GROUP BY ip_address, client_app_used, user_agent
    HAVING count(DISTINCT user_principal_name) >= $6::int
),
sources AS (
    SELECT r.ip_address, r.client_app_used, r.user_agent
    FROM reaching r
    JOIN campaign_source_totals t
      ON t.dataset_id = $1::int
     AND t.key_hash = campaign_source_key(r.ip_address, r.client_app_used, r.user_agent)
    WHERE (SELECT ready FROM totals_ready) AND t.failed > $7::float8 * t.attempts
    UNION ALL
    SELECT r.ip_address, r.client_app_used, r.user_agent
    FROM sign_in_hourly_rollup r
    JOIN reaching USING (ip_address, client_app_used, user_agent)
    WHERE NOT (SELECT ready FROM totals_ready)
      AND r.dataset_id = $1::int AND r.ip_address IN (SELECT ip_address FROM reaching)
    GROUP BY r.ip_address, r.client_app_used, r.user_agent
    HAVING sum(r.attempts) FILTER (WHERE r.error_code = ANY($8::text[])) > $7::float8 * sum(r.attempts)
),
presence AS (
    SELECT h.ip_address, h.client_app_used, h.user_agent, h.bucket, h.user_principal_name
    FROM hourly h
    JOIN sources USING (ip_address, client_app_used, user_agent)
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
