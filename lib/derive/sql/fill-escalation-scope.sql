-- The findings whose escalations (findings/sql/finding-escalations.sql) can differ after the
-- scoped recompute; every other finding keeps its own. A finding's escalations read its source's
-- events in its window, the "password right" sign-ins of the names it probed from a related
-- address (its own, its /24 or /48, its campaign's), its campaign's addresses and whether such a
-- neighbour address mostly fails. A sign-in from an unrelated address never counts for it. So
-- the findings to look at again are:
--   - the ones the detectors before changed (derive_changed_findings);
--   - those that probed a name with a "password right" sign-in in the recomputed range [$2, $3)
--     from a related address (derive_succeeded, fill-succeeded-names.sql), unless the finding
--     ended beyond the horizon before it (it can be a new escalation, or the first sign-in of
--     the name from that address, which makes that address their usual place);
--   - those whose campaign changed, or whose campaign gained or lost an address with a
--     "password right" sign-in (derive_finding_campaigns and derive_campaign_addresses hold them
--     from before the campaigns were recomputed);
--   - those with a neighbour address (same /24 or /48, or same campaign) whose share of failures
--     over the whole dataset crossed the line (more than $7 of its sign-ins fail) with the
--     appended events, when that neighbour has a "password right" sign-in the finding could
--     count (from the hour of its first attempt to the horizon after its last): else its share
--     is never read.
-- $1 dataset id, $2 from timestamptz (the recomputed range's start), $3 horizon interval, $4 codes
-- that mean a username was probed besides the finding's own, $5 "password right" codes text[],
-- $6 whether campaign_source_delta holds what the campaign source totals added, $7 minimum
-- failure share of attacker infrastructure float8 (LINKING.minFailureShare)
WITH recent AS MATERIALIZED (
    -- a finding's window ends at or after its last sign-in, so it starts after last_seen - window
    SELECT f.id, f.ip_address, f.client_app_used, f.user_agent, f.bucket, f.window_minutes, f.error_codes, f.campaign_id,
           network(set_masklen(f.ip_address, CASE WHEN family(f.ip_address) = 4 THEN 24 ELSE 48 END)) AS network
    FROM findings f
    WHERE f.dataset_id = $1::int
      AND f.last_seen + $3::interval >= $2::timestamptz
      AND f.bucket >= $2::timestamptz - $3::interval
                      - make_interval(mins => (SELECT coalesce(max(window_minutes), 0) FROM findings WHERE dataset_id = $1::int))
),
succeeded AS MATERIALIZED (
    SELECT s.user_principal_name, s.ip_address,
           network(set_masklen(s.ip_address, CASE WHEN family(s.ip_address) = 4 THEN 24 ELSE 48 END)) AS network
    FROM derive_succeeded s
),
campaign_success AS MATERIALIZED (
    -- each campaign's names with a success from one of its addresses, once: joined finding by
    -- finding to every source of its campaign first, one month-long campaign's 520 recent
    -- findings made 682,797 rows to sort before the successes were matched (0.5 s at 10 M)
    SELECT DISTINCT cs.campaign_id, s.user_principal_name
    FROM campaign_sources cs
    JOIN succeeded s ON s.ip_address = cs.ip_address
    WHERE cs.campaign_id IN (SELECT campaign_id FROM recent)
),
related_success AS MATERIALIZED (
    -- a success from the finding's address or network, or from an address of its campaign
    SELECT f.id, s.user_principal_name
    FROM recent f JOIN succeeded s ON s.network = f.network
    UNION
    SELECT f.id, c.user_principal_name
    FROM recent f
    JOIN campaign_success c ON c.campaign_id = f.campaign_id
),
probed_success AS (
    -- read from the rollup's whole hours: a sliding window's names are among its hours' names.
    -- The (finding, name) pairs both sides hold, as a set operation (hashed or sorted): as a
    -- join, an estimate of one row on either side made a nested loop of 670 M comparisons.
    SELECT DISTINCT id
    FROM (
        SELECT id, user_principal_name FROM related_success
        INTERSECT
        SELECT f.id, r.user_principal_name
        FROM recent f
        JOIN sign_in_hourly_rollup r
          ON r.dataset_id = $1::int AND r.ip_address = f.ip_address
         AND r.bucket >= date_trunc('hour', f.bucket) AND r.bucket < f.bucket + make_interval(mins => f.window_minutes)
         AND r.client_app_used = f.client_app_used AND r.user_agent = f.user_agent
         AND (r.error_code = ANY(f.error_codes) OR r.error_code = ANY($4::text[]))
    ) pairs
),
campaign_moved AS (
    SELECT coalesce(now_.id, before.finding_id) AS id
    FROM (SELECT id, campaign_id FROM findings WHERE dataset_id = $1::int AND campaign_id IS NOT NULL) now_
    FULL JOIN derive_finding_campaigns before ON before.finding_id = now_.id
    WHERE now_.campaign_id IS DISTINCT FROM before.campaign_id
),
campaign_changed AS (
    -- An address that joined or left a campaign changes its findings' escalations only through
    -- its own "password right" sign-ins (the campaign relation): a rotating proxy that only ever
    -- failed, which is what joins a spray every hour, leaves them as they are.
    SELECT DISTINCT coalesce(now_.campaign_id, before.campaign_id) AS campaign_id
    FROM (SELECT DISTINCT cs.campaign_id, cs.ip_address
          FROM campaign_sources cs JOIN campaigns c ON c.id = cs.campaign_id
          WHERE c.dataset_id = $1::int) now_
    FULL JOIN derive_campaign_addresses before
      ON before.campaign_id = now_.campaign_id AND before.ip_address = now_.ip_address
    WHERE (now_.campaign_id IS NULL OR before.campaign_id IS NULL)
      AND EXISTS (SELECT 1 FROM sign_in_hourly_rollup r
                  WHERE r.dataset_id = $1::int AND r.ip_address = coalesce(now_.ip_address, before.ip_address)
                    AND r.error_code = ANY($5::text[]))
),
flipped AS (
    -- Addresses whose share of failures crossed the line with the appended events: their totals
    -- now and before what was added (lib/campaigns/source-totals.ts). When the totals were filled
    -- in full ($6 false), every address with a sign-in in the range.
    SELECT t.ip_address
    FROM campaign_source_totals t
    LEFT JOIN campaign_source_delta d ON d.key_hash = t.key_hash
    WHERE $6::boolean AND t.dataset_id = $1::int AND t.ip_address IN (SELECT ip_address FROM campaign_source_delta)
    GROUP BY t.ip_address
    HAVING (sum(t.failed) > $7::float8 * sum(t.attempts))
           IS DISTINCT FROM (sum(t.failed - coalesce(d.failed, 0)) > $7::float8 * sum(t.attempts - coalesce(d.attempts, 0)))
    UNION
    SELECT ip_address FROM derive_touched WHERE NOT $6::boolean
),
touched_neighbour AS (
    -- (finding, neighbour address whose failure share crossed the line)
    SELECT f.id, f.first_seen, f.last_seen, t.ip_address
    FROM flipped t
    JOIN findings f
      ON f.dataset_id = $1::int AND f.ip_address <> t.ip_address
     AND network(set_masklen(f.ip_address, CASE WHEN family(f.ip_address) = 4 THEN 24 ELSE 48 END))
       = network(set_masklen(t.ip_address, CASE WHEN family(t.ip_address) = 4 THEN 24 ELSE 48 END))
    UNION
    SELECT f.id, f.first_seen, f.last_seen, cs.ip_address
    FROM findings f
    JOIN campaign_sources cs ON cs.campaign_id = f.campaign_id
    WHERE f.dataset_id = $1::int AND cs.ip_address <> f.ip_address
      AND cs.ip_address IN (SELECT ip_address FROM flipped)
),
neighbour_rights AS MATERIALIZED (
    -- each (finding, name) with a "password right" sign-in from a neighbour whose share crossed
    -- the line, from the hour of the finding's first attempt to the horizon after its last
    SELECT n.id, r.user_principal_name
    FROM touched_neighbour n
    JOIN sign_in_hourly_rollup r
      ON r.dataset_id = $1::int AND r.ip_address = n.ip_address
     AND r.bucket >= date_trunc('hour', n.first_seen) AND r.bucket <= n.last_seen + $3::interval
     AND r.error_code = ANY($5::text[])
),
neighbouring AS (
    -- only when the finding probed such a name. The finding's probed names are read once per
    -- finding and the pairs both sides hold taken as a set operation: as a correlated EXISTS
    -- they were read again for each of the neighbour's sign-ins (5,092 reads of ~50 rollup rows
    -- for 958 pairs after an appended hour at 1 M: 0.36 s).
    SELECT DISTINCT id
    FROM (
        SELECT id, user_principal_name FROM neighbour_rights
        INTERSECT
        SELECT f.id, p.user_principal_name
        FROM findings f
        JOIN sign_in_hourly_rollup p
          ON p.dataset_id = $1::int AND p.ip_address = f.ip_address
         AND p.bucket >= date_trunc('hour', f.bucket) AND p.bucket < f.bucket + make_interval(mins => f.window_minutes)
         AND p.client_app_used = f.client_app_used AND p.user_agent = f.user_agent
         AND (p.error_code = ANY(f.error_codes) OR p.error_code = ANY($4::text[]))
        WHERE f.dataset_id = $1::int AND f.id IN (SELECT id FROM neighbour_rights)
    ) pairs
)
INSERT INTO escalation_scope (finding_id)
SELECT finding_id FROM derive_changed_findings
UNION SELECT id FROM probed_success
UNION SELECT id FROM campaign_moved WHERE id IN (SELECT id FROM findings WHERE dataset_id = $1::int)
UNION SELECT f.id FROM findings f WHERE f.dataset_id = $1::int AND f.campaign_id IN (SELECT campaign_id FROM campaign_changed)
UNION SELECT id FROM neighbouring
