-- Findings per tier in the datasets in $1 (NULL: all): the overview's tier counts.
SELECT f.verdict, count(*)::int AS findings
FROM findings f
WHERE $1::int[] IS NULL OR f.dataset_id = ANY($1::int[])
GROUP BY f.verdict
