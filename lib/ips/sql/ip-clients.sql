-- The client apps and user agents one source IP used, busiest first.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 error codes text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
SELECT client_app_used, user_agent,
       count(*)::int AS events,
       count(*) FILTER (WHERE error_code = ANY($3::text[]))::int AS enumeration_failures,
       count(DISTINCT user_principal_name)::int AS usernames,
       min(created_at) AS first_seen,
       max(created_at) AS last_seen
FROM sign_in_events
WHERE ip_address = $1::inet
  AND dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
GROUP BY client_app_used, user_agent
ORDER BY events DESC, client_app_used, user_agent
LIMIT 200
