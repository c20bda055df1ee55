-- The remediation list of one source address: every account it got a confirming code for,
-- with how and when, in the chosen datasets. Unlike a finding's list it is not limited to one
-- client app, user agent or window: whoever holds the address learnt all of these.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 codes confirming an account text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
SELECT e.user_principal_name,
       array_agg(DISTINCT e.error_code ORDER BY e.error_code) AS error_codes,
       count(*)::int AS attempts,
       min(e.created_at) AS first_probed,
       max(e.created_at) AS last_probed,
       array_agg(DISTINCT host(e.ip_address) ORDER BY host(e.ip_address)) AS source_ips,
       coalesce(array_agg(DISTINCT f.id ORDER BY f.id) FILTER (WHERE f.id IS NOT NULL), '{}') AS finding_ids
FROM sign_in_events e
LEFT JOIN findings f
  ON f.dataset_id = e.dataset_id AND f.ip_address = e.ip_address
 AND e.created_at >= f.bucket AND e.created_at < f.bucket + make_interval(mins => f.window_minutes)
 AND f.client_app_used = e.client_app_used AND e.user_agent_id = user_agent_key(f.user_agent)
WHERE e.ip_address = $1::inet
  AND e.dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
  AND e.user_principal_name <> ''
  AND e.error_code = ANY($3::text[])
GROUP BY e.user_principal_name
ORDER BY first_probed, e.user_principal_name
