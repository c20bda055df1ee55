-- Fills campaign_work_sources with the dataset's sources: every (IP, client app, user agent)
-- with failed sign-ins of the campaign codes, read from the hourly rollup (one row per hour,
-- source, username and code instead of one per sign-in) in a single pass, so that no join
-- depends on the planner guessing the rollup's size right. Only the sources whose totals
-- (campaign_source_totals, kept by source-totals.ts) say they mostly fail are read, by their
-- addresses: after an append that is the attackers' history, not the tenant's. The HAVING
-- repeats the totals' test on the rollup itself.
-- $1 dataset id               int
-- $2 campaign codes           text[]  (the rule's codes plus 50126, 50057)
-- $3 minimum failure share    float8  (a source whose sign-ins mostly are something else is people, not a tool)
WITH candidates AS MATERIALIZED (
    SELECT key_hash, ip_address, client_app_used, user_agent
    FROM campaign_source_totals
    WHERE dataset_id = $1::int AND failed > $3::float8 * attempts
)
INSERT INTO campaign_work_sources (
    key_hash, ip_address, client_app_used, user_agent, app_name, network, unique_usernames, attempts,
    first_seen, last_seen)
SELECT key_hash, ip_address, client_app_used, user_agent,
       -- the app most of its failed rows went to (the rollup keeps a row's app names sorted)
       coalesce(mode() WITHIN GROUP (ORDER BY app_names[1]) FILTER (WHERE failed AND cardinality(app_names) > 0), ''),
       network(set_masklen(ip_address, CASE WHEN family(ip_address) = 4 THEN 24 ELSE 48 END))::cidr,
       count(DISTINCT user_principal_name) FILTER (WHERE failed)::int,
       sum(attempts) FILTER (WHERE failed)::int,
       min(first_seen) FILTER (WHERE failed),
       max(last_seen) FILTER (WHERE failed)
FROM (
    -- The candidates' rollup rows, read in one pass by their addresses (the rollup's
    -- (dataset, ip) index, the addresses as one array, an InitPlan, so it stays an index scan),
    -- then matched to their candidate on the whole source. One candidate at a time re-read the
    -- rows of a shared address for every candidate behind it (at 10 M events 2,042 candidates on
    -- 240 addresses: 21 s for 140,000 rows); a join without the array let the planner, guessing
    -- one candidate, test every rollup row read against every candidate.
    SELECT c.key_hash, c.ip_address, c.client_app_used, c.user_agent, r.user_principal_name, r.attempts, r.first_seen,
           r.last_seen, r.app_names, r.error_code = ANY($2::text[]) AS failed
    FROM sign_in_hourly_rollup r
    JOIN candidates c
      ON c.ip_address = r.ip_address AND c.client_app_used = r.client_app_used AND c.user_agent = r.user_agent
    WHERE r.dataset_id = $1::int
      AND r.ip_address = ANY ((SELECT array_agg(DISTINCT ip_address) FROM candidates)::inet[])
) r
GROUP BY key_hash, ip_address, client_app_used, user_agent
HAVING sum(attempts) FILTER (WHERE failed) > $3::float8 * sum(attempts)
ORDER BY min(first_seen) FILTER (WHERE failed), ip_address, client_app_used, user_agent
