-- $1 source ids int[], $2 their component (smallest source id of it) int[]
UPDATE campaign_work_sources s
SET component = c.component
FROM unnest($1::int[], $2::int[]) AS c(source_id, component)
WHERE s.id = c.source_id
