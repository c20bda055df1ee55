-- Findings for chosen windows: the measures of the reference rule (distinct usernames,
-- attempts, sample, apps, first/last seen, duration, rate, verdict) for each (IP, client app,
-- user agent, window start) given in $11-$14, over the window [start, start + $5).
-- $1 dataset ids int[], $2 error codes text[], $3/$4 time range (NULL), $5 window interval,
-- $6/$7/$8 tier thresholds, $9 sample size, $10 app list size,
-- $11 IPs text[], $12 client apps text[], $13 user agents text[], $14 window starts timestamptz[]
WITH windows AS (
    SELECT ip::inet AS ip_address, client_app_used, user_agent, window_start
    FROM unnest($11::text[], $12::text[], $13::text[], $14::timestamptz[]) AS w(ip, client_app_used, user_agent, window_start)
),
attempts AS (
    SELECT w.window_start, e.ip_address, e.client_app_used, w.user_agent, e.user_principal_name,
           count(*) AS attempts, min(e.created_at) AS first_seen, max(e.created_at) AS last_seen
    FROM windows w
    JOIN sign_in_events e
      ON e.dataset_id = ANY($1::int[]) AND e.ip_address = w.ip_address
     AND e.created_at >= w.window_start AND e.created_at < w.window_start + $5::interval
     AND e.client_app_used = w.client_app_used AND e.user_agent_id = user_agent_key(w.user_agent)
    WHERE e.error_code = ANY($2::text[]) AND e.user_principal_name <> ''
      AND ($3::timestamptz IS NULL OR e.created_at >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR e.created_at < $4::timestamptz)
    GROUP BY w.window_start, e.ip_address, e.client_app_used, w.user_agent, e.user_principal_name
),
measured AS (
    SELECT window_start, ip_address, client_app_used, user_agent,
           count(*)::int AS unique_usernames,
           sum(attempts)::int AS attempt_count,
           min(first_seen) AS first_seen,
           max(last_seen) AS last_seen,
           (array_agg(user_principal_name ORDER BY first_seen, user_principal_name))[1:$9::int] AS first_users
    FROM attempts
    GROUP BY window_start, ip_address, client_app_used, user_agent
),
scored AS (
    SELECT m.*,
           extract(epoch FROM m.last_seen - m.first_seen) * 1000 AS duration_ms,
           (SELECT coalesce((array_agg(DISTINCT e.app_display_name ORDER BY e.app_display_name))[1:$10::int], '{}')
            FROM sign_in_events e
            WHERE e.dataset_id = ANY($1::int[]) AND e.ip_address = m.ip_address
              AND e.created_at >= m.window_start AND e.created_at < m.window_start + $5::interval
              AND e.client_app_used = m.client_app_used AND e.user_agent_id = user_agent_key(m.user_agent)
              AND e.user_principal_name <> '' AND e.app_display_name <> ''
              AND e.error_code = ANY($2::text[])) AS app_list
    FROM measured m
),
timed AS (
    SELECT s.*, CASE WHEN duration_ms < 60000 THEN 1 ELSE round(duration_ms / 60000, 1) END AS duration_minutes
    FROM scored s
)
SELECT (SELECT d FROM unnest($1::int[]) d LIMIT 1) AS dataset_id,
       window_start AS bucket,
       host(ip_address) AS ip_address,
       client_app_used,
       user_agent,
       unique_usernames,
       attempt_count,
       (SELECT array_agg(u ORDER BY u) FROM unnest(first_users) u) AS username_sample,
       app_list,
       first_seen,
       last_seen,
       duration_minutes::float8 AS duration_minutes,
       round(unique_usernames / duration_minutes, 2)::float8 AS enumeration_rate_per_min,
       CASE WHEN unique_usernames >= $8::int THEN 'High Confidence Enumeration'
            WHEN unique_usernames >= $7::int THEN 'Moderate Enumeration'
            ELSE 'Low-Level Enumeration' END AS verdict
FROM timed
WHERE unique_usernames >= $6::int
