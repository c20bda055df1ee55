-- What one source IP's events say, from one read of them: the line of totals (events, failures
-- with the detection's codes, usernames it targeted, its yield: names it learnt do not exist,
-- accounts it learnt do; first and last seen), the client apps and user agents it used (busiest
-- first) and where the logs place it (city, country, autonomous system), as three JSON values.
-- Three statements read the address's events three times: at 10 M events an attacker's address
-- has ~1,400 events on ~720 pages of the events table, and each read cost those pages again.
-- Times are milliseconds since 1970 (whole, as a JavaScript Date holds them).
-- $1 ip inet, $2 dataset ids int[] (NULL: all), $3 error codes text[], $4 codes confirming an
-- account text[], $5 codes meaning "no such user" text[], $6 probe codes (all three) text[]
-- NULL becomes every dataset's id rather than `$2 IS NULL OR …`: the indexes on the address lead
-- with dataset_id, and without a condition on it the planner reads the whole index.
-- An event holds its user agent's key; the text is the dataset's dictionary's (user_agents).
WITH address_events AS MATERIALIZED (
    SELECT dataset_id, created_at, error_code, user_principal_name, client_app_used, user_agent_id,
           location_city, location_state, location_country, autonomous_system
    FROM sign_in_events
    WHERE ip_address = $1::inet
      AND dataset_id = ANY(coalesce($2::int[], ARRAY(SELECT id FROM datasets)))
),
summary AS (
    SELECT count(*)::int AS events,
           count(*) FILTER (WHERE error_code = ANY($3::text[]))::int AS enumeration_failures,
           count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($3::text[]) AND user_principal_name <> '')::int AS targeted_usernames,
           count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($6::text[]) AND user_principal_name <> '')::int AS probed_usernames,
           count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($5::text[]) AND user_principal_name <> '')::int AS not_found_usernames,
           count(DISTINCT user_principal_name) FILTER (WHERE error_code = ANY($4::text[]) AND user_principal_name <> '')::int AS confirmed_accounts,
           count(*) FILTER (WHERE error_code = '0')::int AS successes,
           floor(extract(epoch FROM min(created_at)) * 1000)::bigint AS first_seen,
           floor(extract(epoch FROM max(created_at)) * 1000)::bigint AS last_seen,
           coalesce(array_agg(DISTINCT dataset_id) FILTER (WHERE dataset_id IS NOT NULL), '{}') AS dataset_ids
    FROM address_events
),
clients AS (
    SELECT e.client_app_used, coalesce(u.user_agent, '') AS user_agent,
           count(*)::int AS events,
           count(*) FILTER (WHERE e.error_code = ANY($3::text[]))::int AS enumeration_failures,
           count(DISTINCT e.user_principal_name)::int AS usernames,
           floor(extract(epoch FROM min(e.created_at)) * 1000)::bigint AS first_seen,
           floor(extract(epoch FROM max(e.created_at)) * 1000)::bigint AS last_seen
    FROM address_events e
    LEFT JOIN user_agents u ON u.dataset_id = e.dataset_id AND u.user_agent_id = e.user_agent_id
    GROUP BY e.client_app_used, coalesce(u.user_agent, '')
    ORDER BY events DESC, client_app_used, user_agent
    LIMIT 200
),
locations AS (
    SELECT location_city, location_state, location_country, autonomous_system,
           count(*)::int AS events
    FROM address_events
    GROUP BY location_city, location_state, location_country, autonomous_system
    ORDER BY events DESC
    LIMIT 50
)
SELECT (SELECT row_to_json(s) FROM summary s) AS summary,
       (SELECT coalesce(json_agg(c ORDER BY c.events DESC, c.client_app_used, c.user_agent), '[]') FROM clients c) AS clients,
       (SELECT coalesce(json_agg(l ORDER BY l.events DESC), '[]') FROM locations l) AS locations
