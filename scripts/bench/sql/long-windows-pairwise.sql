-- BENCH BASELINE (npm run bench, "one source probing for days"): long-windows.sql as it was
-- before its windows were counted by a sweep: every window start joined to every hour of its
-- source after it. Kept only to measure the app's query against; same parameters, same rows.
-- Low and slow: for every (IP, client app, user agent), the windows of $5 (hours long)
-- starting at an hour with failures that reach $6 distinct usernames, read from the rollup.
-- Over a day any busy address collects that many typos, lockouts and expired passwords (an
-- office NAT, a VPN egress), so only sources whose sign-ins are mostly failures with the codes
-- $8 count: a tool fails nearly every time, people mostly succeed.
-- $1 dataset id, $2 error codes text[], $5 window interval, $6 threshold ($3, $4: NULL),
-- $7 minimum failure share float8, $8 failure codes text[] (the rule's plus 50126, 50057)
WITH hourly AS (
    SELECT ip_address, client_app_used, user_agent, bucket, user_principal_name
    FROM sign_in_hourly_rollup
    WHERE dataset_id = $1::int AND error_code = ANY($2::text[])
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
    FROM sign_in_hourly_rollup r
    JOIN reaching USING (ip_address, client_app_used, user_agent)
    WHERE r.dataset_id = $1::int AND r.ip_address IN (SELECT ip_address FROM reaching)
    GROUP BY r.ip_address, r.client_app_used, r.user_agent
    HAVING sum(r.attempts) FILTER (WHERE r.error_code = ANY($8::text[])) > $7::float8 * sum(r.attempts)
)
SELECT host(h.ip_address) AS ip_address, h.client_app_used, h.user_agent, h.bucket AS window_start,
       count(DISTINCT r.user_principal_name)::int AS unique_usernames
FROM (SELECT DISTINCT h.ip_address, h.client_app_used, h.user_agent, h.bucket FROM hourly h JOIN sources USING (ip_address, client_app_used, user_agent)) h
JOIN hourly r
  ON r.ip_address = h.ip_address AND r.client_app_used = h.client_app_used AND r.user_agent = h.user_agent
 AND r.bucket >= h.bucket AND r.bucket < h.bucket + $5::interval
GROUP BY h.ip_address, h.client_app_used, h.user_agent, h.bucket
HAVING count(DISTINCT r.user_principal_name) >= $6::int
ORDER BY 1, 2, 3, 4
