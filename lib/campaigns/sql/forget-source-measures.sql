-- What the campaigns measured of a source from its events and rollup rows (its address's ASN, its
-- cadence, its failures' times, its profile and usernames) no longer holds once its address has
-- events appended: forgotten for every source of an address with an event of dataset $1 with an
-- id in ($2, $3] (the events added since the last update of the totals), read by their ids;
-- refresh-campaigns.ts reads those sources again.
-- $1 dataset id, $2 id seen before bigint, $3 id seen now bigint
UPDATE campaign_source_totals t
SET events_asn = NULL, events_asn_known = false, cadence_seconds = NULL, cadence_known = false,
    failure_times = NULL, profile_known = false, app_name = NULL, unique_usernames = NULL,
    failed_attempts = NULL, first_failed = NULL, last_failed = NULL, usernames = NULL,
    usernames_exist = NULL, usernames_not_found = NULL
WHERE t.dataset_id = $1::int
  AND (t.events_asn_known OR t.cadence_known OR t.failure_times IS NOT NULL OR t.profile_known)
  AND t.ip_address IN (
      SELECT e.ip_address
      FROM sign_in_events e
      WHERE e.dataset_id = $1::int AND e.id > $2::bigint AND e.id <= $3::bigint
        AND e.ip_address IS NOT NULL)
