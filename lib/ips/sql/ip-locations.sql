-- Where the logs place one source IP (city, country, autonomous system), when they say.
-- $1 ip inet, $2 dataset ids int[] (NULL: all)
SELECT location_city, location_state, location_country, autonomous_system,
       count(*)::int AS events
FROM sign_in_events
WHERE ip_address = $1::inet
  AND ($2::int[] IS NULL OR dataset_id = ANY($2::int[]))
GROUP BY location_city, location_state, location_country, autonomous_system
ORDER BY events DESC
LIMIT 50
