-- One source IP across the whole dataset, per UTC hour: attempts per error code, and in the code
-- NULL row of each hour its distinct usernames, counted as the page's totals count them:
-- targeted (the rule's codes) and probed (any code that says whether the account exists).
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 rule codes text[], $4 probe codes text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
SELECT bucket, error_code,
       sum(attempts)::int AS attempts,
       count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($3::text[]) AND user_principal_name <> '')::int AS usernames,
       count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($4::text[]) AND user_principal_name <> '')::int AS probed_usernames
FROM sign_in_hourly_rollup
WHERE ip_address = $1::inet
  AND dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
GROUP BY GROUPING SETS ((bucket, error_code), (bucket))
ORDER BY bucket, error_code NULLS FIRST
