-- What the campaigns measured of a source from its events and rollup rows (its cadence, its
-- profile and usernames) no longer holds once its address has events appended: forgotten for
-- every source of an address with an event of dataset $1 with an id in ($2, $3] (the events
-- added since the last update of the totals), read by their ids; refresh-campaigns.ts reads
-- those sources again.
--
-- Its address's ASN is kept when every appended event of the address that carries one carries
-- the one kept (or none does): the ASN is the one most of the address's first 1,000 events with
-- one carry (asn-from-events.sql), and more events of that one, even earlier ones that push
-- later events out of the first 1,000, only add to its lead. A rotating proxy of a month-long
-- spray gets events every hour, always from the same AS: reading its events again for it cost
-- 0.10–0.15 s of every appended hour at 10 M events.
--
-- Its failed attempts' times (campaign codes $4, with a username: member-times-from-events.sql)
-- are kept with the appended ones added: they are all of the source's times in order, and events
-- are only ever added, so the kept times and the appended ones are exactly what reading the
-- source's events again would give. Read again, a month-long spray's rotating addresses cost
-- ~0.2 s of every appended hour at 10 M events.
-- $1 dataset id, $2 id seen before bigint, $3 id seen now bigint, $4 campaign codes text[]
WITH appended AS (
    SELECT e.ip_address,
           coalesce(array_agg(DISTINCT e.autonomous_system) FILTER (WHERE e.autonomous_system IS NOT NULL), '{}') AS systems
    FROM sign_in_events e
    WHERE e.dataset_id = $1::int AND e.id > $2::bigint AND e.id <= $3::bigint
      AND e.ip_address IS NOT NULL
    GROUP BY e.ip_address
),
appended_failures AS (
    -- per source key, as add-source-totals.sql keys the appended events
    SELECT campaign_source_key(f.ip_address, f.client_app_used, coalesce(u.user_agent, '')) AS key_hash, f.times
    FROM (SELECT e.ip_address, e.client_app_used, e.user_agent_id, array_agg(e.created_at) AS times
          FROM sign_in_events e
          WHERE e.dataset_id = $1::int AND e.id > $2::bigint AND e.id <= $3::bigint
            AND e.ip_address IS NOT NULL AND e.error_code = ANY($4::text[]) AND e.user_principal_name <> ''
          GROUP BY e.ip_address, e.client_app_used, e.user_agent_id) f
    LEFT JOIN user_agents u ON u.dataset_id = $1::int AND u.user_agent_id = f.user_agent_id
),
reached AS (
    SELECT t.key_hash, a.systems,
           CASE WHEN t.failure_times IS NOT NULL
                THEN ARRAY(SELECT x FROM unnest(t.failure_times || coalesce(f.times, '{}')) AS x ORDER BY x) END AS failure_times
    FROM campaign_source_totals t
    JOIN appended a ON a.ip_address = t.ip_address
    LEFT JOIN appended_failures f ON f.key_hash = t.key_hash
    WHERE t.dataset_id = $1::int
      AND (t.events_asn_known OR t.cadence_known OR t.failure_times IS NOT NULL OR t.profile_known)
)
UPDATE campaign_source_totals t
SET events_asn = CASE WHEN t.events_asn_known AND r.systems <@ ARRAY[t.events_asn] THEN t.events_asn END,
    events_asn_known = t.events_asn_known AND r.systems <@ ARRAY[t.events_asn],
    cadence_seconds = NULL, cadence_known = false,
    failure_times = r.failure_times, profile_known = false, app_name = NULL, unique_usernames = NULL,
    failed_attempts = NULL, first_failed = NULL, last_failed = NULL, usernames = NULL,
    usernames_exist = NULL, usernames_not_found = NULL
FROM reached r
WHERE t.dataset_id = $1::int
  AND t.key_hash = r.key_hash
