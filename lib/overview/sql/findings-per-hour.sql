-- The reference rule's unsuppressed hourly findings per UTC hour and tier, in the datasets in
-- $1 (NULL: all): the coloured part of the overview chart. Reads findings only.
SELECT date_bin('1 hour', bucket, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
       count(*) FILTER (WHERE verdict = 'High Confidence Enumeration')::int AS high,
       count(*) FILTER (WHERE verdict = 'Moderate Enumeration')::int AS moderate,
       count(*) FILTER (WHERE verdict = 'Low-Level Enumeration')::int AS low
FROM findings
WHERE ($1::int[] IS NULL OR dataset_id = ANY($1::int[]))
  AND kind = 'hourly' AND suppressed_by_id IS NULL
GROUP BY 1
