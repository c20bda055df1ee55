-- The client apps and user agents one source IP used, busiest first.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 error codes text[]
SELECT client_app_used, user_agent,
       count(*)::int AS events,
       count(*) FILTER (WHERE error_code = ANY($3::text[]))::int AS enumeration_failures,
       count(DISTINCT user_principal_name)::int AS usernames,
       min(created_at) AS first_seen,
       max(created_at) AS last_seen
FROM sign_in_events
WHERE ip_address = $1::inet
  AND ($2::int[] IS NULL OR dataset_id = ANY($2::int[]))
GROUP BY client_app_used, user_agent
ORDER BY events DESC, client_app_used, user_agent
LIMIT 200
