-- Per UTC hour: failed sign-ins with the detection's codes, the distinct usernames they
-- targeted, and the findings of that hour by tier (the overview chart).
-- $1 dataset ids int[] (NULL: all), $2 error codes text[]
WITH activity AS (
    SELECT bucket,
           sum(attempts)::int AS failed_sign_ins,
           count(DISTINCT user_principal_name)::int AS targeted_usernames
    FROM sign_in_hourly_rollup
    -- NULL becomes every dataset's id rather than `$1 IS NULL OR …`: the rollup's index on the
    -- codes leads with dataset_id, and without a condition on it the whole rollup is read.
    WHERE dataset_id = ANY(coalesce($1::int[], ARRAY(SELECT id FROM datasets)))
      AND error_code = ANY($2::text[])
    GROUP BY bucket
),
flagged AS (
    SELECT date_bin('1 hour', bucket, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
           count(*) FILTER (WHERE verdict = 'High Confidence Enumeration')::int AS high,
           count(*) FILTER (WHERE verdict = 'Moderate Enumeration')::int AS moderate,
           count(*) FILTER (WHERE verdict = 'Low-Level Enumeration')::int AS low
    FROM findings
    WHERE ($1::int[] IS NULL OR dataset_id = ANY($1::int[]))
      AND kind = 'hourly' AND suppressed_by_id IS NULL
    GROUP BY 1
)
SELECT coalesce(a.bucket, f.bucket) AS bucket,
       coalesce(a.failed_sign_ins, 0) AS failed_sign_ins,
       coalesce(a.targeted_usernames, 0) AS targeted_usernames,
       coalesce(f.high, 0) AS high,
       coalesce(f.moderate, 0) AS moderate,
       coalesce(f.low, 0) AS low
FROM activity a
FULL JOIN flagged f ON f.bucket = a.bucket
ORDER BY 1
