-- Every hour and (client app, user agent) of one source IP with the detection's codes, above
-- and below the threshold, with the finding it produced if any.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 error codes text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
SELECT r.dataset_id, d.name AS dataset_name, r.bucket, r.client_app_used, r.user_agent,
       count(DISTINCT r.user_principal_name)::int AS unique_usernames,
       sum(r.attempts)::int AS attempts,
       min(r.first_seen) AS first_seen,
       max(r.last_seen) AS last_seen,
       f.id AS finding_id,
       f.verdict
FROM sign_in_hourly_rollup r
JOIN datasets d ON d.id = r.dataset_id
LEFT JOIN findings f
       ON f.dataset_id = r.dataset_id AND f.kind = 'hourly' AND f.ip_address = r.ip_address AND f.bucket = r.bucket
      AND f.client_app_used = r.client_app_used AND f.user_agent = r.user_agent
WHERE r.ip_address = $1::inet
  AND r.dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
  AND r.error_code = ANY($3::text[])
GROUP BY r.dataset_id, d.name, r.bucket, r.client_app_used, r.user_agent, f.id, f.verdict
ORDER BY r.bucket, unique_usernames DESC
