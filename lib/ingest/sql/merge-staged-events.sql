-- Moves one staged batch into sign_in_events and adds what was new to the hourly rollup.
-- The first copy of an event wins (unique on dataset + source event id); later copies, in this
-- batch or from earlier imports, are duplicates and change nothing.
-- $1 dataset id, $2 import job id, $3 source format
WITH inserted AS (
    INSERT INTO sign_in_events (
        dataset_id, import_job_id, source_event_id, created_at, user_principal_name, ip_address,
        client_app_used, user_agent, app_display_name, app_id, error_code, failure_reason,
        location_city, location_state, location_country, autonomous_system, is_interactive,
        source_format, raw)
    SELECT $1, $2, source_event_id, created_at, user_principal_name, ip_address,
           client_app_used, user_agent, app_display_name, app_id, error_code, failure_reason,
           location_city, location_state, location_country, autonomous_system, is_interactive,
           $3, raw
    FROM ingest_staging
    ON CONFLICT (dataset_id, source_event_id) DO NOTHING
    RETURNING created_at, user_principal_name, ip_address, client_app_used, user_agent,
              app_display_name, error_code
),
new_rollup AS (
    -- Only what the detection can count: a source IP, a user name and an error code.
    SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
           ip_address, client_app_used, user_agent, user_principal_name, error_code,
           count(*)::int AS attempts,
           min(created_at) AS first_seen,
           max(created_at) AS last_seen,
           coalesce((array_agg(DISTINCT app_display_name ORDER BY app_display_name)
                     FILTER (WHERE app_display_name <> ''))[1:10], '{}') AS app_names
    FROM inserted
    WHERE ip_address IS NOT NULL AND user_principal_name <> '' AND error_code IS NOT NULL
    GROUP BY 1, ip_address, client_app_used, user_agent, user_principal_name, error_code
),
upserted AS (
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
    ON CONFLICT (dataset_id, bucket, key_hash) DO UPDATE SET
        attempts   = r.attempts + excluded.attempts,
        first_seen = least(r.first_seen, excluded.first_seen),
        last_seen  = greatest(r.last_seen, excluded.last_seen),
        app_names  = coalesce((SELECT (array_agg(DISTINCT name ORDER BY name))[1:10]
                               FROM unnest(r.app_names || excluded.app_names) AS name), '{}')
    RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted,
       (SELECT count(*) FROM upserted)::int AS rollup_rows
