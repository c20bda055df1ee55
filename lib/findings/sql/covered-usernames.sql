-- For each long window (source and start: $2–$5, one element each), how many distinct usernames
-- the source's hourly and sliding findings inside it already report: the names tried within
-- the parts of the window those findings cover. Counted as a set, so a burst that repeats the
-- same names hour after hour counts them once.
-- $1 dataset id, $2 ip inet[], $3 client app text[], $4 user agent text[],
-- $5 window start timestamptz[], $6 window interval, $7 error codes text[]
WITH windows AS (
    SELECT *
    FROM unnest($2::inet[], $3::text[], $4::text[], $5::timestamptz[])
         WITH ORDINALITY AS w(ip_address, client_app_used, user_agent, window_start, ord)
),
spans AS (
    SELECT w.ord, w.ip_address, w.client_app_used, w.user_agent,
           greatest(f.bucket, w.window_start) AS from_time,
           least(f.bucket + make_interval(mins => f.window_minutes), w.window_start + $6::interval) AS to_time
    FROM windows w
    JOIN findings f
      ON f.dataset_id = $1::int AND f.kind IN ('hourly', 'sliding')
     AND f.ip_address = w.ip_address AND f.client_app_used = w.client_app_used AND f.user_agent = w.user_agent
     AND f.bucket < w.window_start + $6::interval
     AND f.bucket + make_interval(mins => f.window_minutes) > w.window_start
)
SELECT s.ord::int AS ord, count(DISTINCT e.user_principal_name)::int AS covered
FROM spans s
JOIN sign_in_events e
  ON e.dataset_id = $1::int AND e.ip_address = s.ip_address
 AND e.created_at >= s.from_time AND e.created_at < s.to_time
 AND e.client_app_used = s.client_app_used AND e.user_agent = s.user_agent
WHERE e.error_code = ANY($7::text[]) AND e.user_principal_name <> ''
GROUP BY s.ord
