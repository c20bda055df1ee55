-- The rollup rows of every source of dataset $1 that takes part in campaigns (its totals say it
-- mostly fails) and whose profile the totals do not know (read-source-profiles.sql), into
-- campaign_work_rows, so the profile and the usernames are aggregated from rows whose number the
-- planner knows (analyze-source-rows.sql): the totals were just filled in a full recompute and
-- carry no statistics, and guessing a handful of candidates it recomputed an aggregate per
-- candidate (at 10 M events, 2,042 candidates: minutes).
-- $1 dataset id               int
-- $2 campaign codes           text[]  (the rule's codes plus 50126, 50057)
-- $3 minimum failure share    float8  (a source whose sign-ins mostly are something else is people, not a tool)
WITH candidates AS MATERIALIZED (
    SELECT key_hash, ip_address, client_app_used, user_agent
    FROM campaign_source_totals
    WHERE dataset_id = $1::int AND failed > $3::float8 * attempts AND NOT profile_known
)
INSERT INTO campaign_work_rows (key_hash, user_principal_name, error_code, attempts, first_seen, last_seen, app_names, failed)
-- The candidates' rollup rows, read in one pass by their addresses (the rollup's (dataset, ip)
-- index, the addresses as one array, an InitPlan, so it stays an index scan), then matched to
-- their candidate on the whole source. One candidate at a time re-read the rows of a shared
-- address for every candidate behind it (at 10 M events 2,042 candidates on 240 addresses: 21 s
-- for 140,000 rows); a join without the array let the planner, guessing one candidate, test every
-- rollup row read against every candidate.
SELECT c.key_hash, r.user_principal_name, r.error_code, r.attempts, r.first_seen, r.last_seen, r.app_names,
       r.error_code = ANY($2::text[])
FROM sign_in_hourly_rollup r
JOIN candidates c
  ON c.ip_address = r.ip_address AND c.client_app_used = r.client_app_used AND c.user_agent = r.user_agent
WHERE r.dataset_id = $1::int
  AND r.ip_address = ANY ((SELECT array_agg(DISTINCT ip_address) FROM candidates)::inet[])
