-- One source IP within [from, to) in bins of $5 (e.g. 5 minutes), read from the events: the
-- zoomed-in timeline. Same shape as ip-timeline-hourly.sql.
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 from, $4 to, $5 bin interval,
-- $6 rule codes text[], $7 probe codes text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
SELECT date_bin($5::interval, created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
       error_code,
       count(*)::int AS attempts,
       count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($6::text[]) AND user_principal_name <> '')::int AS usernames,
       count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($7::text[]) AND user_principal_name <> '')::int AS probed_usernames
FROM sign_in_events
WHERE ip_address = $1::inet
  AND dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
  AND created_at >= $3::timestamptz AND created_at < $4::timestamptz
  AND error_code IS NOT NULL
GROUP BY GROUPING SETS ((1, error_code), (1))
ORDER BY 1, error_code NULLS FIRST
