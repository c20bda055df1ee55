-- Every hour and (client app, user agent) of one source IP with the detection's codes, above
-- and below the threshold, with the finding it produced if any.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 error codes text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
-- The hours are counted first and then matched to their finding: one look-up per hour and
-- client, not one per rollup row (a busy address has ten times more rows than hours).
WITH hours AS (
    SELECT r.dataset_id, r.bucket, r.ip_address, r.client_app_used, r.user_agent,
           count(DISTINCT r.user_principal_name)::int AS unique_usernames,
           sum(r.attempts)::int AS attempts,
           min(r.first_seen) AS first_seen,
           max(r.last_seen) AS last_seen
    FROM sign_in_hourly_rollup r
    WHERE r.ip_address = $1::inet
      AND r.dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
      AND r.error_code = ANY($3::text[])
    GROUP BY r.dataset_id, r.bucket, r.ip_address, r.client_app_used, r.user_agent
)
SELECT h.dataset_id, d.name AS dataset_name, h.bucket, h.client_app_used, h.user_agent,
       h.unique_usernames, h.attempts, h.first_seen, h.last_seen,
       f.id AS finding_id,
       f.verdict
FROM hours h
JOIN datasets d ON d.id = h.dataset_id
LEFT JOIN findings f
       ON f.dataset_id = h.dataset_id AND f.kind = 'hourly' AND f.ip_address = h.ip_address AND f.bucket = h.bucket
      AND f.client_app_used = h.client_app_used AND f.user_agent = h.user_agent
ORDER BY h.bucket, h.unique_usernames DESC
