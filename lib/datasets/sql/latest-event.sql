-- The newest sign-in of the datasets in $1 (NULL: all): the "now" of quick time ranges, since
-- exports are historical. One index probe per dataset on (dataset_id, created_at).
SELECT max(latest.created_at) AS latest
FROM datasets d
CROSS JOIN LATERAL (
    SELECT e.created_at FROM sign_in_events e WHERE e.dataset_id = d.id ORDER BY e.created_at DESC LIMIT 1
) latest
WHERE $1::int[] IS NULL OR d.id = ANY($1::int[])
