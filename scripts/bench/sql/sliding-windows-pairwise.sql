-- BENCH BASELINE (npm run bench, "one source probing for days"): sliding-windows.sql as it was
-- before its candidate hours were counted by a sweep. Each hour of a source joined to every
-- hour after it (the candidates CTE), which grows with their product. Kept only to measure
-- the app's query against; same parameters, same rows.
-- Bursts a clock hour cannot split: for every (IP, client app, user agent), the windows of
-- $5 length starting at any failed sign-in that reach $6 distinct usernames. The rollup finds
-- the few hours worth a look; only their events are read. An hour is worth a look only when
-- the hours its windows can touch reach a higher tier together than the busiest of them alone:
-- otherwise no window in them can beat what the fixed hours already report.
-- $1 dataset id, $2 error codes text[], $5 window interval, $6/$7/$8 low/moderate/high
-- thresholds ($3, $4 unused time range kept for a uniform parameter list: NULL)
WITH hourly AS (
    SELECT ip_address, client_app_used, user_agent, bucket, user_principal_name
    FROM sign_in_hourly_rollup
    WHERE dataset_id = $1::int AND error_code = ANY($2::text[])
      AND ($3::timestamptz IS NULL OR bucket >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR bucket < $4::timestamptz)
    GROUP BY ip_address, client_app_used, user_agent, bucket, user_principal_name
),
per_hour AS (
    SELECT ip_address, client_app_used, user_agent, bucket, count(*) AS users,
           CASE WHEN count(*) >= $8::int THEN 3 WHEN count(*) >= $7::int THEN 2 WHEN count(*) >= $6::int THEN 1 ELSE 0 END AS tier
    FROM hourly
    GROUP BY ip_address, client_app_used, user_agent, bucket
),
candidates AS (
    -- a window starting in hour h ends before h + window + 1 hour
    SELECT h.ip_address, h.client_app_used, h.user_agent, h.bucket AS from_hour
    FROM per_hour h
    JOIN hourly r
      ON r.ip_address = h.ip_address AND r.client_app_used = h.client_app_used AND r.user_agent = h.user_agent
     AND r.bucket >= h.bucket AND r.bucket < h.bucket + $5::interval + interval '1 hour'
    GROUP BY h.ip_address, h.client_app_used, h.user_agent, h.bucket
    HAVING count(DISTINCT r.user_principal_name) >= $6::int
       AND CASE WHEN count(DISTINCT r.user_principal_name) >= $8::int THEN 3
                WHEN count(DISTINCT r.user_principal_name) >= $7::int THEN 2 ELSE 1 END
           > (SELECT max(o.tier) FROM per_hour o
              WHERE o.ip_address = h.ip_address AND o.client_app_used = h.client_app_used AND o.user_agent = h.user_agent
                AND o.bucket >= h.bucket AND o.bucket < h.bucket + $5::interval + interval '1 hour')
),
attempts AS (
    SELECT DISTINCT e.ip_address, e.client_app_used, c.user_agent, e.user_principal_name, e.created_at
    FROM candidates c
    JOIN sign_in_events e
      ON e.dataset_id = $1::int AND e.ip_address = c.ip_address
     AND e.created_at >= c.from_hour AND e.created_at < c.from_hour + $5::interval + interval '1 hour'
     AND e.client_app_used = c.client_app_used AND e.user_agent_id = user_agent_key(c.user_agent)
    WHERE e.error_code = ANY($2::text[]) AND e.user_principal_name <> ''
),
starts AS (
    -- windows start at an attempt in a candidate hour (later starts lack the events after them)
    SELECT DISTINCT a.ip_address, a.client_app_used, a.user_agent, a.created_at AS window_start
    FROM attempts a
    JOIN candidates c
      ON c.ip_address = a.ip_address AND c.client_app_used = a.client_app_used AND c.user_agent = a.user_agent
     AND a.created_at >= c.from_hour AND a.created_at < c.from_hour + interval '1 hour'
),
-- A user counts in the window starting at s when one of their attempts t has s <= t < s + W,
-- that is s in (t - W, t]. Each user's attempts less than W apart make one such range
-- ("island"); the distinct users of a window are the islands open at its start, counted by one
-- running sum over the ranges' ends: n log n, where comparing every attempt with every other
-- one was quadratic in a source's attempts.
steps AS (
    SELECT ip_address, client_app_used, user_agent, user_principal_name, created_at,
           CASE WHEN created_at - lag(created_at) OVER same_user < $5::interval THEN 0 ELSE 1 END AS opens_island
    FROM attempts
    WINDOW same_user AS (PARTITION BY ip_address, client_app_used, user_agent, user_principal_name ORDER BY created_at)
),
islands AS (
    SELECT ip_address, client_app_used, user_agent, min(created_at) - $5::interval AS opens, max(created_at) AS closes
    FROM (SELECT *, sum(opens_island) OVER (PARTITION BY ip_address, client_app_used, user_agent, user_principal_name ORDER BY created_at) AS island
          FROM steps) numbered
    GROUP BY ip_address, client_app_used, user_agent, user_principal_name, island
),
sweep AS (
    -- at equal times a window start (0) is counted before the ends (1): the ranges are open below
    SELECT ip_address, client_app_used, user_agent, opens AS at, 1 AS ord, 1 AS delta FROM islands
    UNION ALL
    SELECT ip_address, client_app_used, user_agent, closes, 1, -1 FROM islands
    UNION ALL
    SELECT ip_address, client_app_used, user_agent, window_start, 0, 0 FROM starts
),
counted AS (
    SELECT ip_address, client_app_used, user_agent, at, ord,
           sum(delta) OVER (PARTITION BY ip_address, client_app_used, user_agent ORDER BY at, ord ROWS UNBOUNDED PRECEDING) AS users
    FROM sweep
)
SELECT host(ip_address) AS ip_address, client_app_used, user_agent, at AS window_start, users::int AS unique_usernames
FROM counted
WHERE ord = 0 AND users >= $6::int
ORDER BY 1, 2, 3, 4
