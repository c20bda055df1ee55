-- The reference enumeration rule (docs/reference/reference-rule.md) over the hourly rollup.
-- Same result as findings-from-events.sql, which reads the raw events; this one reads one row
-- per hour, source, username and code instead of one per sign-in. Usable when the window is a
-- whole number of hours and the time range starts and ends on window boundaries.
--
-- $1 dataset ids           int[]
-- $2 error codes           text[]       ('50034','50053','50055','50056')
-- $3 from (inclusive)      timestamptz  (NULL: the dataset's start)
-- $4 to (exclusive)        timestamptz  (NULL: the dataset's end)
-- $5 window                interval     ('1 hour')
-- $6 low threshold         int          (10)
-- $7 moderate threshold    int          (20)
-- $8 high threshold        int          (50)
-- $9 username sample size  int          (25)
-- $10 app list size        int          (10)
WITH attempts AS (
    -- one row per group and username
    SELECT dataset_id,
           date_bin($5::interval, bucket, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
           ip_address, client_app_used, user_agent, user_principal_name,
           sum(attempts) AS attempts,
           min(first_seen) AS first_seen,
           max(last_seen) AS last_seen
    FROM sign_in_hourly_rollup
    WHERE dataset_id = ANY($1::int[])
      AND error_code = ANY($2::text[])
      AND ($3::timestamptz IS NULL OR bucket >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR bucket < $4::timestamptz)
    GROUP BY 1, 2, ip_address, client_app_used, user_agent, user_principal_name
),
flagged AS (
    SELECT dataset_id, bucket, ip_address, client_app_used, user_agent,
           count(*)::int AS unique_usernames,
           sum(attempts)::int AS attempt_count,
           min(first_seen) AS first_seen,
           max(last_seen) AS last_seen
    FROM attempts
    GROUP BY dataset_id, bucket, ip_address, client_app_used, user_agent
    HAVING count(*) >= $6::int
),
samples AS (
    -- the first usernames seen, listed alphabetically
    SELECT dataset_id, bucket, ip_address, client_app_used, user_agent,
           array_agg(user_principal_name ORDER BY user_principal_name) FILTER (WHERE seen_rank <= $9::int) AS username_sample
    FROM (
        SELECT a.*, row_number() OVER (
                   PARTITION BY a.dataset_id, a.bucket, a.ip_address, a.client_app_used, a.user_agent
                   ORDER BY a.first_seen, a.user_principal_name) AS seen_rank
        FROM attempts a
        JOIN flagged f USING (dataset_id, bucket, ip_address, client_app_used, user_agent)
    ) ranked
    GROUP BY dataset_id, bucket, ip_address, client_app_used, user_agent
),
measured AS (
    SELECT f.*, s.username_sample,
           (SELECT coalesce((array_agg(DISTINCT name ORDER BY name))[1:$10::int], '{}')
            FROM sign_in_hourly_rollup r
            CROSS JOIN unnest(r.app_names) AS name
            WHERE r.dataset_id = f.dataset_id
              AND r.ip_address = f.ip_address
              AND r.bucket >= f.bucket AND r.bucket < f.bucket + $5::interval
              AND r.client_app_used = f.client_app_used
              AND r.user_agent = f.user_agent
              AND r.error_code = ANY($2::text[])) AS app_list,
           extract(epoch FROM f.last_seen - f.first_seen) * 1000 AS duration_ms
    FROM flagged f
    JOIN samples s USING (dataset_id, bucket, ip_address, client_app_used, user_agent)
),
scored AS (
    SELECT m.*,
           CASE WHEN duration_ms < 60000 THEN 1 ELSE round(duration_ms / 60000, 1) END AS duration_minutes
    FROM measured m
)
SELECT dataset_id,
       bucket,
       host(ip_address) AS ip_address,
       client_app_used,
       user_agent,
       unique_usernames,
       attempt_count,
       username_sample,
       app_list,
       first_seen,
       last_seen,
       duration_minutes::float8 AS duration_minutes,
       round(unique_usernames / duration_minutes, 2)::float8 AS enumeration_rate_per_min,
       CASE WHEN unique_usernames >= $8::int THEN 'High Confidence Enumeration'
            WHEN unique_usernames >= $7::int THEN 'Moderate Enumeration'
            ELSE 'Low-Level Enumeration' END AS verdict
FROM scored
ORDER BY unique_usernames DESC, attempt_count DESC, bucket ASC, host(ip_address) COLLATE "C" ASC,
         client_app_used COLLATE "C", user_agent COLLATE "C", dataset_id
