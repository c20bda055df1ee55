-- The overview's activity of the datasets in $1 (NULL: all) as last computed from the rollup
-- (refresh-activity.sql), if the rollup has not changed since: no row when it has, or when it
-- was never computed. The scope is the datasets' ids; the version is each one's event count and
-- newest event from the hourly summary, which changes in the same transaction as the rollup
-- whenever an import adds an event (events are never removed from a dataset but with it).
WITH scope AS (
    SELECT d.id FROM datasets d WHERE $1::int[] IS NULL OR d.id = ANY($1::int[])
),
version AS (
    SELECT coalesce(string_agg(s.id::text, ',' ORDER BY s.id), '') AS scope,
           coalesce(string_agg(s.id || ':' || v.events || ':' || coalesce(v.last_seen::text, ''), ',' ORDER BY s.id), '') AS version
    FROM scope s
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(h.events), 0) AS events, max(h.last_seen) AS last_seen
        FROM sign_in_hourly_summary h WHERE h.dataset_id = s.id
    ) v
)
SELECT c.hourly, c.top_sources
FROM version v
JOIN overview_activity c ON c.scope = v.scope AND c.version = v.version
