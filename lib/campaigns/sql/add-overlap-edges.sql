-- The pairs the overlapping-target-lists rule linked (overlap-pairs.ts).
-- $1 earlier sources int[], $2 later sources int[]
INSERT INTO campaign_work_edges (source_a, source_b, reason)
SELECT source_a, source_b, 'overlapping target lists'
FROM unnest($1::int[], $2::int[]) AS p(source_a, source_b)
