-- Whether the planner statistics of dataset $1's partitions (events and rollup) missed a
-- doubling: the events it held when they were last taken (datasets.statistics_rows) are fewer
-- than half of those it holds now (every succeeded import's inserted rows), or they were never
-- taken. The import analyses after each doubling (lib/ingest/table-statistics.ts), but skips it
-- when another process is analysing, and nothing after the last import looks again; a plan
-- from statistics of a much smaller dataset can go quadratic. Within a factor of two the plans
-- hold (a 1 M dataset analysed at 760,000 events: the same full recompute, and an ANALYZE costs
-- seconds). Also says how many it holds, to record once they are analysed.
SELECT d.statistics_rows IS NULL OR d.statistics_rows * 2 < h.rows AS stale, h.rows
FROM datasets d
CROSS JOIN LATERAL (
    SELECT coalesce(sum(j.rows_inserted), 0)::bigint AS rows
    FROM import_jobs j
    WHERE j.dataset_id = d.id AND j.status = 'succeeded'
) h
WHERE d.id = $1::int AND h.rows > 0
