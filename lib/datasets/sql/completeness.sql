-- What a dataset covers and where it is blind: time span, hours without any sign-in inside
-- it, interactive vs non-interactive events, and how often the fields the detection groups by
-- are missing. $1 dataset id
WITH events AS (
    SELECT created_at, is_interactive, user_agent, client_app_used, app_display_name,
           location_country, autonomous_system, ip_address, user_principal_name
    FROM sign_in_events
    WHERE dataset_id = $1::int
),
span AS (
    SELECT min(created_at) AS first_event, max(created_at) AS last_event, count(*)::bigint AS events FROM events
),
hours AS (
    SELECT DISTINCT date_bin('1 hour', created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS hour FROM events
),
gaps AS (
    -- runs of consecutive empty hours between the first and the last event
    SELECT hour + interval '1 hour' AS gap_start, next_hour AS gap_end
    FROM (SELECT hour, lead(hour) OVER (ORDER BY hour) AS next_hour FROM hours) h
    WHERE next_hour > hour + interval '1 hour'
)
SELECT s.first_event, s.last_event, s.events,
       (SELECT count(*) FROM events WHERE is_interactive)::bigint AS interactive,
       (SELECT count(*) FROM events WHERE NOT is_interactive)::bigint AS non_interactive,
       (SELECT count(*) FROM events WHERE is_interactive IS NULL)::bigint AS interactive_unknown,
       (SELECT count(*) FROM events WHERE user_agent = '')::bigint AS without_user_agent,
       (SELECT count(*) FROM events WHERE client_app_used = '')::bigint AS without_client_app,
       (SELECT count(*) FROM events WHERE app_display_name = '')::bigint AS without_app,
       (SELECT count(*) FROM events WHERE location_country IS NULL)::bigint AS without_location,
       (SELECT count(*) FROM events WHERE autonomous_system IS NULL)::bigint AS without_asn,
       (SELECT count(*) FROM events WHERE ip_address IS NULL)::bigint AS without_ip,
       (SELECT count(*) FROM events WHERE user_principal_name = '')::bigint AS without_upn,
       (SELECT coalesce(json_agg(json_build_object('from', gap_start, 'to', gap_end) ORDER BY gap_end - gap_start DESC), '[]') FROM (SELECT * FROM gaps ORDER BY gap_end - gap_start DESC LIMIT 20) g) AS gaps,
       (SELECT count(*) FROM gaps)::int AS gap_count
FROM span s
