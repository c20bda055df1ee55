-- What the detection beyond the reference rule adds in the datasets in $1 (NULL: all): findings
-- of its own (sliding windows, low and slow), escalated findings, campaigns, and what the
-- suppression rules hide.
SELECT count(*) FILTER (WHERE f.kind <> 'hourly' AND f.suppressed_by_id IS NULL)::int AS extended_findings,
       count(*) FILTER (WHERE f.escalated AND f.suppressed_by_id IS NULL)::int AS escalated_findings,
       count(*) FILTER (WHERE f.suppressed_by_id IS NOT NULL)::int AS suppressed_findings,
       (SELECT count(*)::int FROM campaigns c WHERE $1::int[] IS NULL OR c.dataset_id = ANY($1::int[])) AS campaigns
FROM findings f
WHERE $1::int[] IS NULL OR f.dataset_id = ANY($1::int[])
