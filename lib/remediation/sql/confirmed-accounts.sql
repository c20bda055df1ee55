-- The remediation list: accounts an attacker confirmed to exist while probing — every username
-- a finding's source got a confirming code for — with how and when, for one finding or a whole
-- dataset (suppressed findings left out unless asked for).
-- $1 dataset id (NULL: the finding's), $2 finding id (NULL: every finding of the dataset),
-- $3 codes confirming an account text[], $4 include suppressed findings boolean
SELECT e.user_principal_name,
       array_agg(DISTINCT e.error_code ORDER BY e.error_code) AS error_codes,
       count(*)::int AS attempts,
       min(e.created_at) AS first_probed,
       max(e.created_at) AS last_probed,
       array_agg(DISTINCT host(e.ip_address) ORDER BY host(e.ip_address)) AS source_ips,
       array_agg(DISTINCT f.id ORDER BY f.id) AS finding_ids
FROM findings f
JOIN sign_in_events e
  ON e.dataset_id = f.dataset_id AND e.ip_address = f.ip_address
 AND e.created_at >= f.bucket AND e.created_at < f.bucket + make_interval(mins => f.window_minutes)
 AND e.client_app_used = f.client_app_used AND e.user_agent_id = user_agent_key(f.user_agent)
WHERE ($1::int IS NULL OR f.dataset_id = $1::int)
  AND ($2::int IS NULL OR f.id = $2::int)
  AND ($4::boolean OR f.suppressed_by_id IS NULL)
  AND e.user_principal_name <> ''
  AND e.error_code = ANY($3::text[])
GROUP BY e.user_principal_name
ORDER BY first_probed, e.user_principal_name
