-- The overview's activity of the datasets in $1 (NULL: all) as last computed from the rollup
-- (refresh-activity.sql), if the rollup has not changed since: no row when it has, or when it
-- was never computed. Scope and version: overview_activity_version() (its migration says how).
SELECT c.hourly, c.top_sources
FROM overview_activity_version($1::int[]) v
JOIN overview_activity c ON c.scope = v.scope AND c.version = v.version
