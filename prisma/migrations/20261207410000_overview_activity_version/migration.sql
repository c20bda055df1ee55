-- The key and version under which the overview keeps its activity (overview_activity), in one
-- place for the statement that reads it (cached-activity.sql) and the one that computes it
-- (refresh-activity.sql): the scope is the datasets' ids ($1 NULL: all of them); the version is
-- each one's event count and newest event from the hourly summary, which changes in the same
-- transaction as the rollup whenever an import adds an event.
CREATE FUNCTION overview_activity_version(dataset_ids int[])
RETURNS TABLE (scope text, version text)
LANGUAGE sql STABLE
AS $$
    WITH chosen AS (
        SELECT d.id FROM datasets d WHERE dataset_ids IS NULL OR d.id = ANY(dataset_ids)
    )
    SELECT coalesce(string_agg(c.id::text, ',' ORDER BY c.id), ''),
           coalesce(string_agg(c.id || ':' || v.events || ':' || coalesce(v.last_seen::text, ''), ',' ORDER BY c.id), '')
    FROM chosen c
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(h.events), 0) AS events, max(h.last_seen) AS last_seen
        FROM sign_in_hourly_summary h WHERE h.dataset_id = c.id
    ) v
$$;
