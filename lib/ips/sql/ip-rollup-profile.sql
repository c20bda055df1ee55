-- What one source IP's hourly rollup rows say, from one read of them, as two JSON values:
-- - timeline: per UTC hour, attempts per error code, and in the code NULL row of each hour its
--   distinct usernames, counted as the page's totals count them: targeted (the rule's codes) and
--   probed (any code that says whether the account exists);
-- - buckets: every hour and (client app, user agent) with the detection's codes, above and below
--   the threshold, with the finding it produced if any. The hours are counted first and then
--   matched to their finding: one look-up per hour and client, not one per rollup row (a busy
--   address has ten times more rows than hours).
-- Two statements read the address's rollup rows twice (~1,200 rows on ~400 pages for an
-- attacker's address at 10 M events). Times are milliseconds since 1970.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 rule codes text[], $4 probe codes text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
WITH address_rows AS MATERIALIZED (
    SELECT dataset_id, bucket, ip_address, client_app_used, user_agent, user_principal_name,
           error_code, attempts, first_seen, last_seen
    FROM sign_in_hourly_rollup
    WHERE ip_address = $1::inet
      AND dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
),
timeline AS (
    SELECT floor(extract(epoch FROM bucket) * 1000)::bigint AS bucket, error_code,
           sum(attempts)::int AS attempts,
           count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($3::text[]) AND user_principal_name <> '')::int AS usernames,
           count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($4::text[]) AND user_principal_name <> '')::int AS probed_usernames
    FROM address_rows
    GROUP BY GROUPING SETS ((bucket, error_code), (bucket))
),
hours AS (
    SELECT r.dataset_id, r.bucket, r.ip_address, r.client_app_used, r.user_agent,
           count(DISTINCT r.user_principal_name)::int AS unique_usernames,
           sum(r.attempts)::int AS attempts,
           min(r.first_seen) AS first_seen,
           max(r.last_seen) AS last_seen
    FROM address_rows r
    WHERE r.error_code = ANY($3::text[])
    GROUP BY r.dataset_id, r.bucket, r.ip_address, r.client_app_used, r.user_agent
),
buckets AS (
    SELECT h.dataset_id, d.name AS dataset_name,
           floor(extract(epoch FROM h.bucket) * 1000)::bigint AS bucket,
           h.client_app_used, h.user_agent, h.unique_usernames, h.attempts,
           floor(extract(epoch FROM h.first_seen) * 1000)::bigint AS first_seen,
           floor(extract(epoch FROM h.last_seen) * 1000)::bigint AS last_seen,
           f.id AS finding_id,
           f.verdict
    FROM hours h
    JOIN datasets d ON d.id = h.dataset_id
    LEFT JOIN findings f
           ON f.dataset_id = h.dataset_id AND f.kind = 'hourly' AND f.ip_address = h.ip_address AND f.bucket = h.bucket
          AND f.client_app_used = h.client_app_used AND f.user_agent = h.user_agent
)
SELECT (SELECT coalesce(json_agg(t ORDER BY t.bucket, t.error_code NULLS FIRST), '[]') FROM timeline t) AS timeline,
       (SELECT coalesce(json_agg(b ORDER BY b.bucket, b.unique_usernames DESC), '[]') FROM buckets b) AS buckets
