-- Findings per tier in the datasets in $1 (NULL: all): the overview's tier counts. Like the
-- findings table's default view: the reference rule's hourly findings, suppressed ones left out.
SELECT f.verdict, count(*)::int AS findings
FROM findings f
WHERE ($1::int[] IS NULL OR f.dataset_id = ANY($1::int[]))
  AND f.kind = 'hourly' AND f.suppressed_by_id IS NULL
GROUP BY f.verdict
