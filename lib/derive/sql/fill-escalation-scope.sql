-- The findings whose escalations (findings/sql/finding-escalations.sql) can differ after the
-- scoped recompute; every other finding keeps its own. A finding's escalations read its source's
-- events in its window, the "password right" sign-ins of the names it probed, its campaign's
-- addresses and whether a neighbour address mostly fails. So the findings to look at again are:
--   - the ones the detectors before changed (derive_changed_findings);
--   - those that probed a name with a "password right" sign-in in the recomputed range [$2, $3)
--     (derive_succeeded, fill-succeeded-names.sql),
--     unless that sign-in lies beyond the horizon after them (it can be a new escalation, or the
--     first sign-in of the name from an address, which makes that address their usual place);
--   - those whose campaign changed, or whose campaign's addresses did (derive_finding_campaigns
--     and derive_campaign_addresses hold them from before the campaigns were recomputed);
--   - those with a neighbour (same /24 or /48, or same campaign) among the scope's sources: new
--     sign-ins change the share of its sign-ins that fail, over the whole dataset.
-- $1 dataset id, $2 from timestamptz (the recomputed range's start), $3 horizon interval, $4 codes
-- that mean a username was probed besides the finding's own
WITH recent AS MATERIALIZED (
    -- a finding's window ends at or after its last sign-in, so it starts after last_seen - window
    SELECT f.id, f.ip_address, f.client_app_used, f.user_agent, f.bucket, f.window_minutes, f.error_codes
    FROM findings f
    WHERE f.dataset_id = $1::int
      AND f.last_seen + $3::interval >= $2::timestamptz
      AND f.bucket >= $2::timestamptz - $3::interval
                      - make_interval(mins => (SELECT coalesce(max(window_minutes), 0) FROM findings WHERE dataset_id = $1::int))
),
probed_success AS (
    -- read from the rollup's whole hours: a sliding window's names are among its hours' names;
    SELECT DISTINCT f.id
    FROM recent f
    JOIN sign_in_hourly_rollup r
      ON r.dataset_id = $1::int AND r.ip_address = f.ip_address
     AND r.bucket >= date_trunc('hour', f.bucket) AND r.bucket < f.bucket + make_interval(mins => f.window_minutes)
     AND r.client_app_used = f.client_app_used AND r.user_agent = f.user_agent
     AND (r.error_code = ANY(f.error_codes) OR r.error_code = ANY($4::text[]))
    JOIN derive_succeeded s ON s.user_principal_name = r.user_principal_name
),
campaign_moved AS (
    SELECT coalesce(now_.id, before.finding_id) AS id
    FROM (SELECT id, campaign_id FROM findings WHERE dataset_id = $1::int AND campaign_id IS NOT NULL) now_
    FULL JOIN derive_finding_campaigns before ON before.finding_id = now_.id
    WHERE now_.campaign_id IS DISTINCT FROM before.campaign_id
),
campaign_changed AS (
    SELECT coalesce(now_.campaign_id, before.campaign_id) AS campaign_id
    FROM (SELECT DISTINCT cs.campaign_id, cs.ip_address
          FROM campaign_sources cs JOIN campaigns c ON c.id = cs.campaign_id
          WHERE c.dataset_id = $1::int) now_
    FULL JOIN derive_campaign_addresses before
      ON before.campaign_id = now_.campaign_id AND before.ip_address = now_.ip_address
    WHERE now_.campaign_id IS NULL OR before.campaign_id IS NULL
),
neighbouring AS (
    SELECT f.id
    FROM derive_scope s
    JOIN findings f
      ON f.dataset_id = $1::int AND f.ip_address <> s.ip_address
     AND f.ip_address <<= network(set_masklen(s.ip_address, CASE WHEN family(s.ip_address) = 4 THEN 24 ELSE 48 END))
    UNION
    SELECT f.id
    FROM findings f
    WHERE f.dataset_id = $1::int AND f.campaign_id IN (
        SELECT cs.campaign_id FROM campaign_sources cs JOIN campaigns c ON c.id = cs.campaign_id
        WHERE c.dataset_id = $1::int AND cs.ip_address IN (SELECT ip_address FROM derive_scope))
)
INSERT INTO escalation_scope (finding_id)
SELECT finding_id FROM derive_changed_findings
UNION SELECT id FROM probed_success
UNION SELECT id FROM campaign_moved WHERE id IN (SELECT id FROM findings WHERE dataset_id = $1::int)
UNION SELECT f.id FROM findings f WHERE f.dataset_id = $1::int AND f.campaign_id IN (SELECT campaign_id FROM campaign_changed)
UNION SELECT id FROM neighbouring
