-- Every username behind one stored finding (not only the sample): its attempts, the codes it
-- got and its first and last attempt, read from the events the finding counted.
-- $1 finding id
SELECT e.user_principal_name,
       count(*)::int AS attempts,
       array_agg(DISTINCT e.error_code ORDER BY e.error_code) AS error_codes,
       min(e.created_at) AS first_attempt,
       max(e.created_at) AS last_attempt
FROM findings f
JOIN sign_in_events e
  ON e.dataset_id = f.dataset_id
 AND e.ip_address = f.ip_address
 AND e.created_at >= f.bucket AND e.created_at < f.bucket + make_interval(mins => f.window_minutes)
 AND e.client_app_used = f.client_app_used
 AND e.user_agent_id = user_agent_key(f.user_agent)
 AND e.error_code = ANY(f.error_codes)
 AND e.user_principal_name <> ''
WHERE f.id = $1::int
GROUP BY e.user_principal_name
ORDER BY first_attempt, e.user_principal_name
