-- Size and time span of the datasets in $1 (NULL: all).
SELECT count(*)::bigint AS events,
       count(*) FILTER (WHERE error_code = ANY($2::text[]))::bigint AS enumeration_failures,
       min(created_at) AS first_event,
       max(created_at) AS last_event
FROM sign_in_events
WHERE $1::int[] IS NULL OR dataset_id = ANY($1::int[])
