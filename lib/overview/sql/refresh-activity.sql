-- Computes the overview's activity of the datasets in $1 (NULL: all) from the rollup and keeps
-- it in overview_activity under the scope and version cached-activity.sql looks up (computed in
-- the same statement, so the version is the one of the rows read). This is the only overview
-- query that reads the dataset's failed attempts in full (the rule's codes only): it runs once
-- per import, on the first overview after it.
-- $1 dataset ids int[] (NULL: all), $2 error codes text[], $3 source IPs kept (the page shows fewer)
WITH scope AS (
    SELECT d.id FROM datasets d WHERE $1::int[] IS NULL OR d.id = ANY($1::int[])
),
version AS (
    SELECT * FROM overview_activity_version($1::int[])
),
forget AS (
    -- what was kept for sets that include a deleted dataset (a tiny table: done here, not on delete)
    DELETE FROM overview_activity o
    WHERE NOT (string_to_array(o.scope, ',')::int[] <@ ARRAY(SELECT id FROM datasets))
),
failed AS MATERIALIZED (
    -- `dataset_id = ANY(…)` with the ids rather than `$1 IS NULL OR …`: the rollup's index on the
    -- codes leads with dataset_id, and without a condition on it the whole rollup is read.
    SELECT bucket, ip_address, user_principal_name, attempts, first_seen, last_seen
    FROM sign_in_hourly_rollup
    WHERE dataset_id = ANY(ARRAY(SELECT id FROM scope))
      AND error_code = ANY($2::text[])
),
hourly AS (
    -- Per UTC hour: failed sign-ins with the detection's codes and the distinct usernames they targeted.
    SELECT bucket, sum(attempts)::int AS failed_sign_ins, count(DISTINCT user_principal_name)::int AS targeted_usernames
    FROM failed
    GROUP BY bucket
),
top_sources AS (
    -- The source IPs that targeted the most distinct usernames with those codes.
    SELECT ip_address,
           count(DISTINCT user_principal_name)::int AS unique_usernames,
           sum(attempts)::int AS attempts,
           min(first_seen) AS first_seen,
           max(last_seen) AS last_seen
    FROM failed
    GROUP BY ip_address
    ORDER BY 2 DESC, 3 DESC, ip_address
    LIMIT $3::int
)
INSERT INTO overview_activity (scope, version, hourly, top_sources, computed_at)
SELECT v.scope, v.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(h.bucket, h.failed_sign_ins, h.targeted_usernames) ORDER BY h.bucket), '[]') FROM hourly h),
       (SELECT coalesce(jsonb_agg(jsonb_build_array(host(t.ip_address), t.unique_usernames, t.attempts, t.first_seen, t.last_seen)
                                  ORDER BY t.unique_usernames DESC, t.attempts DESC, t.ip_address), '[]') FROM top_sources t),
       clock_timestamp()
FROM version v
ON CONFLICT (scope) DO UPDATE
   SET version = excluded.version, hourly = excluded.hourly, top_sources = excluded.top_sources, computed_at = excluded.computed_at
RETURNING hourly, top_sources
