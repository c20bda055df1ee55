-- The client apps findings came from: the choices of the client-app filter.
-- $1 dataset ids int[] (NULL: all)
SELECT DISTINCT client_app_used
FROM findings
WHERE $1::int[] IS NULL OR dataset_id = ANY($1::int[])
ORDER BY 1
