-- Adds one import's stored events to the hourly rollup, once, at the end of the import, in its
-- transaction: the events were just written (they are in shared buffers), so grouping them here
-- costs less than sending the rollup's columns a second time (the staging table and per-batch
-- upsert this replaced took as long as the events' own COPY). Duplicates were never stored, so
-- only new events count. The time range lets the BRIN index skip the dataset's other imports.
-- $1 dataset id, $2 import job id, $3 first and $4 last event time of the import
WITH new_rollup AS (
    -- Only what the detection can count: a source IP, a user name and an error code.
    SELECT error_code,
           date_bin('1 hour', created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
           ip_address, client_app_used, user_agent, user_principal_name,
           count(*)::int AS attempts,
           min(created_at) AS first_seen,
           max(created_at) AS last_seen,
           coalesce((array_agg(DISTINCT app_display_name ORDER BY app_display_name)
                     FILTER (WHERE app_display_name <> ''))[1:10], '{}') AS app_names
    FROM sign_in_events
    WHERE dataset_id = $1 AND import_job_id = $2
      AND created_at BETWEEN $3 AND $4
      AND ip_address IS NOT NULL AND user_principal_name <> '' AND error_code IS NOT NULL
    -- grouped in the order the rows are inserted in, so one sort serves both
    GROUP BY error_code, 2, ip_address, client_app_used, user_agent, user_principal_name
)
INSERT INTO sign_in_hourly_rollup AS r (
    dataset_id, bucket, key_hash, ip_address, client_app_used, user_agent,
    user_principal_name, error_code, attempts, first_seen, last_seen, app_names)
SELECT $1, bucket,
       -- length-prefixed, so no two different keys can concatenate to the same text
       md5(ip_address::text || '|' || length(client_app_used) || ':' || client_app_used ||
           length(user_agent) || ':' || user_agent ||
           length(user_principal_name) || ':' || user_principal_name || '|' || error_code)::uuid,
       ip_address, client_app_used, user_agent, user_principal_name, error_code,
       attempts, first_seen, last_seen, app_names
FROM new_rollup
-- Rows of one code and hour land side by side in the table: the detection reads a few codes
-- out of every hour, and so finds them in a few pages instead of one page per row.
ORDER BY error_code, bucket, ip_address, client_app_used, user_agent, user_principal_name
ON CONFLICT (dataset_id, bucket, key_hash) DO UPDATE SET
    attempts   = r.attempts + excluded.attempts,
    first_seen = least(r.first_seen, excluded.first_seen),
    last_seen  = greatest(r.last_seen, excluded.last_seen),
    app_names  = coalesce((SELECT (array_agg(DISTINCT name ORDER BY name))[1:10]
                           FROM unnest(r.app_names || excluded.app_names) AS name), '{}')
