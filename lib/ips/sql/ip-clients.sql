-- The client apps and user agents one source IP used, busiest first.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 error codes text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
-- An event holds its user agent's key; the text is the dataset's dictionary's (user_agents).
SELECT e.client_app_used, coalesce(u.user_agent, '') AS user_agent,
       count(*)::int AS events,
       count(*) FILTER (WHERE e.error_code = ANY($3::text[]))::int AS enumeration_failures,
       count(DISTINCT e.user_principal_name)::int AS usernames,
       min(e.created_at) AS first_seen,
       max(e.created_at) AS last_seen
FROM sign_in_events e
LEFT JOIN user_agents u ON u.dataset_id = e.dataset_id AND u.user_agent_id = e.user_agent_id
WHERE e.ip_address = $1::inet
  AND e.dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
GROUP BY e.client_app_used, coalesce(u.user_agent, '')
ORDER BY events DESC, client_app_used, user_agent
LIMIT 200
