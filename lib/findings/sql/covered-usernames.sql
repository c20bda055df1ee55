-- For each long window (source and start: $2–$5, one element each), how many distinct usernames
-- the source's hourly and sliding findings already report inside it: the names with an attempt
-- in the window that also lies within one of those findings. Counted as a set, so a burst that
-- repeats the same names hour after hour counts them once.
-- Counted like sliding-windows.sql, by one sweep: a window starting at s holds an attempt at t
-- when s is in (t - length, t]; each name's covered attempts less than a window length apart
-- make one such range, and the ranges open at each window start are its covered names. The
-- work follows the covered attempts, not windows × names.
-- $1 dataset id, $2 ip inet[], $3 client app text[], $4 user agent text[],
-- $5 window start timestamptz[], $6 window interval, $7 error codes text[]
WITH windows AS (
    SELECT *
    FROM unnest($2::inet[], $3::text[], $4::text[], $5::timestamptz[])
         WITH ORDINALITY AS w(ip_address, client_app_used, user_agent, window_start, ord)
),
spans AS (
    SELECT f.ip_address, f.client_app_used, f.user_agent, f.bucket AS from_time,
           f.bucket + make_interval(mins => f.window_minutes) AS to_time
    FROM findings f
    JOIN (SELECT DISTINCT ip_address, client_app_used, user_agent FROM windows) s
      USING (ip_address, client_app_used, user_agent)
    WHERE f.dataset_id = $1::int AND f.kind IN ('hourly', 'sliding')
),
covered AS (
    SELECT DISTINCT e.ip_address, e.client_app_used, e.user_agent, e.user_principal_name, e.created_at
    FROM spans s
    JOIN sign_in_events e
      ON e.dataset_id = $1::int AND e.ip_address = s.ip_address
     AND e.created_at >= s.from_time AND e.created_at < s.to_time
     AND e.client_app_used = s.client_app_used AND e.user_agent = s.user_agent
    WHERE e.error_code = ANY($7::text[]) AND e.user_principal_name <> ''
),
steps AS (
    SELECT ip_address, client_app_used, user_agent, user_principal_name, created_at,
           CASE WHEN created_at - lag(created_at) OVER same_user < $6::interval THEN 0 ELSE 1 END AS opens_range
    FROM covered
    WINDOW same_user AS (PARTITION BY ip_address, client_app_used, user_agent, user_principal_name ORDER BY created_at)
),
ranges AS (
    SELECT ip_address, client_app_used, user_agent, min(created_at) - $6::interval AS opens, max(created_at) AS closes
    FROM (SELECT *, sum(opens_range) OVER (PARTITION BY ip_address, client_app_used, user_agent, user_principal_name ORDER BY created_at) AS range_no
          FROM steps) numbered
    GROUP BY ip_address, client_app_used, user_agent, user_principal_name, range_no
),
sweep AS (
    -- at equal times a window start (0) is counted before the ends (1): the ranges are open below
    SELECT ip_address, client_app_used, user_agent, opens AS at, 1 AS rank, 1 AS delta, NULL::bigint AS ord FROM ranges
    UNION ALL
    SELECT ip_address, client_app_used, user_agent, closes, 1, -1, NULL FROM ranges
    UNION ALL
    SELECT ip_address, client_app_used, user_agent, window_start, 0, 0, ord FROM windows
),
counted AS (
    SELECT ord, sum(delta) OVER (PARTITION BY ip_address, client_app_used, user_agent ORDER BY at, rank ROWS UNBOUNDED PRECEDING) AS names
    FROM sweep
)
SELECT ord::int AS ord, names::int AS covered
FROM counted
WHERE ord IS NOT NULL AND names > 0
