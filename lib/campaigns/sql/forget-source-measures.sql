-- What the campaigns measured of a source from its events and rollup rows (its cadence, its
-- failures' times, its profile and usernames) no longer holds once its address has events
-- appended: forgotten for every source of an address with an event of dataset $1 with an id in
-- ($2, $3] (the events added since the last update of the totals), read by their ids;
-- refresh-campaigns.ts reads those sources again.
--
-- Its address's ASN is kept when every appended event of the address that carries one carries
-- the one kept (or none does): the ASN is the one most of the address's first 1,000 events with
-- one carry (asn-from-events.sql), and more events of that one, even earlier ones that push
-- later events out of the first 1,000, only add to its lead. A rotating proxy of a month-long
-- spray gets events every hour, always from the same AS: reading its events again for it cost
-- 0.10–0.15 s of every appended hour at 10 M events.
-- $1 dataset id, $2 id seen before bigint, $3 id seen now bigint
WITH appended AS (
    SELECT e.ip_address,
           coalesce(array_agg(DISTINCT e.autonomous_system) FILTER (WHERE e.autonomous_system IS NOT NULL), '{}') AS systems
    FROM sign_in_events e
    WHERE e.dataset_id = $1::int AND e.id > $2::bigint AND e.id <= $3::bigint
      AND e.ip_address IS NOT NULL
    GROUP BY e.ip_address
)
UPDATE campaign_source_totals t
SET events_asn = CASE WHEN t.events_asn_known AND a.systems <@ ARRAY[t.events_asn] THEN t.events_asn END,
    events_asn_known = t.events_asn_known AND a.systems <@ ARRAY[t.events_asn],
    cadence_seconds = NULL, cadence_known = false,
    failure_times = NULL, profile_known = false, app_name = NULL, unique_usernames = NULL,
    failed_attempts = NULL, first_failed = NULL, last_failed = NULL, usernames = NULL,
    usernames_exist = NULL, usernames_not_found = NULL
FROM appended a
WHERE t.dataset_id = $1::int
  AND t.ip_address = a.ip_address
  AND (t.events_asn_known OR t.cadence_known OR t.failure_times IS NOT NULL OR t.profile_known)
