-- The newest sign-in of the datasets in $1 (NULL: all): the "now" of quick time ranges, since
-- exports are historical. From the hourly summary the imports keep (a few rows per hour): the
-- events' time index is a BRIN, which cannot give the newest row without reading them all.
SELECT max(s.last_seen) AS latest
FROM sign_in_hourly_summary s
WHERE $1::int[] IS NULL OR s.dataset_id = ANY($1::int[])
