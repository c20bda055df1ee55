-- Size and time span of the datasets in $1 (NULL: all), from the hourly summary the imports keep
-- (a few rows per hour, never the events). $2 the detection's error codes text[]
SELECT coalesce(sum(events), 0)::bigint AS events,
       coalesce(sum(events) FILTER (WHERE error_code = ANY($2::text[])), 0)::bigint AS enumeration_failures,
       min(first_seen) AS first_event,
       max(last_seen) AS last_event
FROM sign_in_hourly_summary
WHERE $1::int[] IS NULL OR dataset_id = ANY($1::int[])
