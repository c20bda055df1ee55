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
    SELECT DISTINCT e.id, e.ip_address, e.client_app_used, e.user_agent, e.user_principal_name, e.created_at
    FROM candidates c
    JOIN sign_in_events e
      ON e.dataset_id = $1::int AND e.ip_address = c.ip_address
     AND e.created_at >= c.from_hour AND e.created_at < c.from_hour + $5::interval + interval '1 hour'
     AND e.client_app_used = c.client_app_used AND e.user_agent = c.user_agent
    WHERE e.error_code = ANY($2::text[]) AND e.user_principal_name <> ''
)
SELECT host(s.ip_address) AS ip_address, s.client_app_used, s.user_agent, s.window_start,
       count(DISTINCT a.user_principal_name)::int AS unique_usernames
FROM (SELECT DISTINCT ip_address, client_app_used, user_agent, created_at AS window_start FROM attempts) s
JOIN attempts a
  ON a.ip_address = s.ip_address AND a.client_app_used = s.client_app_used AND a.user_agent = s.user_agent
 AND a.created_at >= s.window_start AND a.created_at < s.window_start + $5::interval
GROUP BY s.ip_address, s.client_app_used, s.user_agent, s.window_start
HAVING count(DISTINCT a.user_principal_name) >= $6::int
ORDER BY 1, 2, 3, 4
