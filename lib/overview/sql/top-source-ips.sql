-- The source IPs that targeted the most distinct usernames with the detection's codes, with
-- the tier of their biggest finding (NULL: none).
-- $1 dataset ids int[] (NULL: all), $2 error codes text[], $3 limit
WITH per_ip AS (
    SELECT ip_address,
           count(DISTINCT user_principal_name)::int AS unique_usernames,
           sum(attempts)::int AS attempts,
           min(first_seen) AS first_seen,
           max(last_seen) AS last_seen
    FROM sign_in_hourly_rollup
    -- NULL becomes every dataset's id rather than `$1 IS NULL OR …`: the rollup's index on the
    -- codes leads with dataset_id, and without a condition on it the whole rollup is read.
    WHERE dataset_id = ANY(coalesce($1::int[], ARRAY(SELECT id FROM datasets)))
      AND error_code = ANY($2::text[])
    GROUP BY ip_address
    ORDER BY 2 DESC, 3 DESC, ip_address
    LIMIT $3::int
)
SELECT host(p.ip_address) AS ip_address, p.unique_usernames, p.attempts, p.first_seen, p.last_seen,
       (SELECT count(*)::int FROM findings f
         WHERE f.ip_address = p.ip_address AND ($1::int[] IS NULL OR f.dataset_id = ANY($1::int[]))) AS findings,
       (SELECT f.verdict FROM findings f
         WHERE f.ip_address = p.ip_address AND ($1::int[] IS NULL OR f.dataset_id = ANY($1::int[]))
         ORDER BY f.unique_usernames DESC LIMIT 1) AS top_verdict
FROM per_ip p
ORDER BY p.unique_usernames DESC, p.attempts DESC, p.ip_address
