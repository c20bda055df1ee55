-- What a dataset covers and where it is blind: time span, hours without any sign-in inside
-- it, interactive vs non-interactive events, and how often the fields the detection groups by
-- are missing. From the hourly summary the imports keep (a few rows per hour), never the events.
-- $1 dataset id
WITH summary AS (
    SELECT * FROM sign_in_hourly_summary WHERE dataset_id = $1::int
),
hours AS (
    SELECT DISTINCT bucket AS hour FROM summary
),
gaps AS (
    -- runs of consecutive empty hours between the first and the last event
    SELECT hour + interval '1 hour' AS gap_start, next_hour AS gap_end
    FROM (SELECT hour, lead(hour) OVER (ORDER BY hour) AS next_hour FROM hours) h
    WHERE next_hour > hour + interval '1 hour'
)
SELECT min(first_seen) AS first_event, max(last_seen) AS last_event,
       coalesce(sum(events), 0)::bigint AS events,
       coalesce(sum(interactive), 0)::bigint AS interactive,
       coalesce(sum(non_interactive), 0)::bigint AS non_interactive,
       coalesce(sum(events - interactive - non_interactive), 0)::bigint AS interactive_unknown,
       coalesce(sum(without_user_agent), 0)::bigint AS without_user_agent,
       coalesce(sum(without_client_app), 0)::bigint AS without_client_app,
       coalesce(sum(without_app), 0)::bigint AS without_app,
       coalesce(sum(without_location), 0)::bigint AS without_location,
       coalesce(sum(without_asn), 0)::bigint AS without_asn,
       coalesce(sum(without_ip), 0)::bigint AS without_ip,
       coalesce(sum(without_upn), 0)::bigint AS without_upn,
       (SELECT coalesce(json_agg(json_build_object('from', gap_start, 'to', gap_end) ORDER BY gap_end - gap_start DESC), '[]') FROM (SELECT * FROM gaps ORDER BY gap_end - gap_start DESC LIMIT 20) g) AS gaps,
       (SELECT count(*) FROM gaps)::int AS gap_count
FROM summary
