-- One source IP across the whole dataset, per UTC hour: attempts per error code, and the
-- distinct usernames of the hour (the code NULL row of each hour).
-- $1 ip inet, $2 dataset ids int[] (NULL: all)
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
SELECT bucket, error_code,
       sum(attempts)::int AS attempts,
       count(DISTINCT user_principal_name)::int AS usernames
FROM sign_in_hourly_rollup
WHERE ip_address = $1::inet
  AND dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
GROUP BY GROUPING SETS ((bucket, error_code), (bucket))
ORDER BY bucket, error_code NULLS FIRST
