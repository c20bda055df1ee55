-- For each long window (source and start: $2–$5, one element each), the most distinct usernames
-- that any ONE of the source's hourly or sliding findings reports inside it. A long window that
-- is mostly one burst adds nothing to the burst's finding; one that unites many small findings
-- (8 new names an hour for ten hours: a sliding finding every other hour) is exactly the slow
-- campaign no shorter finding shows, so the findings are weighed one at a time, never pooled.
-- A finding wholly inside the window counts its own unique_usernames (same codes, same source);
-- only a sliding finding that straddles the window's edge is counted again from its events,
-- over the part inside: at most two per window, so the work follows the windows.
-- $1 dataset id, $2 ip inet[], $3 client app text[], $4 user agent text[],
-- $5 window start timestamptz[], $6 window interval, $7 error codes text[]
WITH windows AS (
    SELECT *
    FROM unnest($2::inet[], $3::text[], $4::text[], $5::timestamptz[])
         WITH ORDINALITY AS w(ip_address, client_app_used, user_agent, window_start, ord)
),
-- The findings of the windows' addresses, read once (the address index) and then hashed against
-- the windows: joined to each window in a nested loop, the findings index was walked once per
-- window over every finding before its end (3 s for 1,401 windows at 10 M events).
spans AS MATERIALIZED (
    SELECT f.ip_address, f.client_app_used, f.user_agent, f.unique_usernames, f.bucket AS from_time,
           f.bucket + make_interval(mins => f.window_minutes) AS to_time
    FROM findings f
    WHERE f.dataset_id = $1::int AND f.kind IN ('hourly', 'sliding')
      AND f.ip_address = ANY($2::inet[])
),
overlapping AS (
    SELECT w.ord, s.unique_usernames,
           s.from_time >= w.window_start AND s.to_time <= w.window_start + $6::interval AS inside,
           greatest(s.from_time, w.window_start) AS lo,
           least(s.to_time, w.window_start + $6::interval) AS hi,
           w.ip_address, w.client_app_used, w.user_agent
    FROM windows w
    JOIN spans s
      ON s.ip_address = w.ip_address AND s.client_app_used = w.client_app_used AND s.user_agent = w.user_agent
     AND s.from_time < w.window_start + $6::interval AND s.to_time > w.window_start
),
measured AS (
    SELECT ord, unique_usernames AS names FROM overlapping WHERE inside
    UNION ALL
    SELECT o.ord, (SELECT count(DISTINCT e.user_principal_name)
                   FROM sign_in_events e
                   WHERE e.dataset_id = $1::int AND e.ip_address = o.ip_address
                     AND e.created_at >= o.lo AND e.created_at < o.hi
                     AND e.client_app_used = o.client_app_used AND e.user_agent_id = user_agent_key(o.user_agent)
                     AND e.error_code = ANY($7::text[]) AND e.user_principal_name <> '')
    FROM overlapping o
    WHERE NOT o.inside
)
SELECT ord::int AS ord, max(names)::int AS covered
FROM measured
GROUP BY ord
HAVING max(names) > 0
