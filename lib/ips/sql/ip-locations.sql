-- Where the logs place one source IP (city, country, autonomous system), when they say.
-- $1 ip inet, $2 dataset ids int[] (NULL: all)
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
SELECT location_city, location_state, location_country, autonomous_system,
       count(*)::int AS events
FROM sign_in_events
WHERE ip_address = $1::inet
  AND dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
GROUP BY location_city, location_state, location_country, autonomous_system
ORDER BY events DESC
LIMIT 50
