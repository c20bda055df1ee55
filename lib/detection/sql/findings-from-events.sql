-- The reference enumeration rule (docs/reference/reference-rule.md) over the raw sign-in events.
-- Any window and any time range; findings-from-rollup.sql gives the same result faster when
-- the window is whole hours. Parameters as in findings-from-rollup.sql.
WITH attempts AS (
    -- one row per group and username
    SELECT dataset_id,
           date_bin($5::interval, created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
           ip_address, client_app_used, user_agent, user_principal_name,
           count(*) AS attempts,
           min(created_at) AS first_seen,
           max(created_at) AS last_seen,
           array_agg(DISTINCT app_display_name) FILTER (WHERE app_display_name <> '') AS app_names
    -- an event holds its user agent's key: the text is its dataset's dictionary's
    FROM (SELECT e.dataset_id, e.created_at, e.ip_address, e.client_app_used, coalesce(u.user_agent, '') AS user_agent,
                 e.user_principal_name, e.app_display_name, e.error_code
          FROM sign_in_events e
          LEFT JOIN user_agents u ON u.dataset_id = e.dataset_id AND u.user_agent_id = e.user_agent_id) events
    WHERE dataset_id = ANY($1::int[])
      AND error_code = ANY($2::text[])
      AND ip_address IS NOT NULL
      AND user_principal_name <> ''
      AND ($3::timestamptz IS NULL OR created_at >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR created_at < $4::timestamptz)
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
apps AS (
    -- the distinct non-empty app names of the group's counted events, alphabetical, the first
    -- $10; gathered from the one scan above, not looked up again per group
    SELECT a.dataset_id, a.bucket, a.ip_address, a.client_app_used, a.user_agent,
           (array_agg(DISTINCT name ORDER BY name))[1:$10::int] AS app_list
    FROM attempts a
    JOIN flagged f USING (dataset_id, bucket, ip_address, client_app_used, user_agent)
    CROSS JOIN unnest(a.app_names) AS name
    GROUP BY a.dataset_id, a.bucket, a.ip_address, a.client_app_used, a.user_agent
),
measured AS (
    SELECT f.*, s.username_sample,
           coalesce(p.app_list, '{}') AS app_list,
           extract(epoch FROM f.last_seen - f.first_seen) * 1000 AS duration_ms
    FROM flagged f
    JOIN samples s USING (dataset_id, bucket, ip_address, client_app_used, user_agent)
    LEFT JOIN apps p USING (dataset_id, bucket, ip_address, client_app_used, user_agent)
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
