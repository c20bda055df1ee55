-- The remediation list of one source address: every account it got a confirming code for,
-- with how and when, in the chosen datasets. Unlike a finding's list it is not limited to one
-- client app, user agent or window: whoever holds the address learnt all of these.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 codes confirming an account text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
-- The address's confirming attempts are read once (its events through the address index); the
-- findings whose windows hold them are matched to them apart, so an attempt inside two findings'
-- windows (an hour and a sliding window of the same source) still counts once.
WITH probes AS MATERIALIZED (
    SELECT e.dataset_id, e.user_principal_name, e.error_code, e.created_at, e.ip_address, e.client_app_used, e.user_agent_id
    FROM sign_in_events e
    WHERE e.ip_address = $1::inet
      AND e.dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
      AND e.user_principal_name <> ''
      AND e.error_code = ANY($3::text[])
),
address_findings AS MATERIALIZED (
    -- the address's findings, a few dozen, through the findings' address index
    SELECT f.id, f.dataset_id, f.ip_address, f.bucket, f.window_minutes, f.client_app_used, f.user_agent
    FROM findings f
    WHERE f.ip_address = $1::inet
      AND f.dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
),
linked AS (
    SELECT p.user_principal_name, array_agg(DISTINCT f.id ORDER BY f.id) AS finding_ids
    FROM probes p
    JOIN address_findings f
      ON f.dataset_id = p.dataset_id AND f.ip_address = p.ip_address
     AND p.created_at >= f.bucket AND p.created_at < f.bucket + make_interval(mins => f.window_minutes)
     AND f.client_app_used = p.client_app_used AND user_agent_key(f.user_agent) = p.user_agent_id
    GROUP BY p.user_principal_name
)
SELECT p.user_principal_name,
       array_agg(DISTINCT p.error_code ORDER BY p.error_code) AS error_codes,
       count(*)::int AS attempts,
       min(p.created_at) AS first_probed,
       max(p.created_at) AS last_probed,
       array_agg(DISTINCT host(p.ip_address) ORDER BY host(p.ip_address)) AS source_ips,
       coalesce(min(l.finding_ids), '{}') AS finding_ids
FROM probes p
LEFT JOIN linked l ON l.user_principal_name = p.user_principal_name
GROUP BY p.user_principal_name
ORDER BY first_probed, p.user_principal_name
