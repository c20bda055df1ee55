-- Reads from the hourly rollup the profile and usernames of every source of dataset $1 that takes
-- part in campaigns (its totals say it mostly fails) and whose profile the totals do not know: read
-- by an earlier refresh, they hold until its address gets events (forget-source-measures.sql), so
-- after an append only the sources of the addresses it reached are read, not a month of every
-- attacker source. The HAVING of a group repeats the totals' test on the rollup itself; a source
-- that fails it is known with no profile.
-- $1 dataset id               int
-- $2 campaign codes           text[]  (the rule's codes plus 50126, 50057)
-- $3 minimum failure share    float8  (a source whose sign-ins mostly are something else is people, not a tool)
-- $4 existing-account codes   text[]
-- $5 not-found codes          text[]
WITH candidates AS MATERIALIZED (
    SELECT key_hash, ip_address, client_app_used, user_agent
    FROM campaign_source_totals
    WHERE dataset_id = $1::int AND failed > $3::float8 * attempts AND NOT profile_known
),
source_rows AS MATERIALIZED (
    -- The candidates' rollup rows, read in one pass by their addresses (the rollup's
    -- (dataset, ip) index, the addresses as one array, an InitPlan, so it stays an index scan),
    -- then matched to their candidate on the whole source. One candidate at a time re-read the
    -- rows of a shared address for every candidate behind it (at 10 M events 2,042 candidates on
    -- 240 addresses: 21 s for 140,000 rows); a join without the array let the planner, guessing
    -- one candidate, test every rollup row read against every candidate.
    SELECT c.key_hash, r.user_principal_name, r.error_code, r.attempts, r.first_seen, r.last_seen, r.app_names,
           r.error_code = ANY($2::text[]) AS failed
    FROM sign_in_hourly_rollup r
    JOIN candidates c
      ON c.ip_address = r.ip_address AND c.client_app_used = r.client_app_used AND c.user_agent = r.user_agent
    WHERE r.dataset_id = $1::int
      AND r.ip_address = ANY ((SELECT array_agg(DISTINCT ip_address) FROM candidates)::inet[])
),
profiles AS (
    SELECT key_hash,
           -- the app most of its failed rows went to (the rollup keeps a row's app names sorted)
           coalesce(mode() WITHIN GROUP (ORDER BY app_names[1]) FILTER (WHERE failed AND cardinality(app_names) > 0), '') AS app_name,
           count(DISTINCT user_principal_name) FILTER (WHERE failed)::int AS unique_usernames,
           sum(attempts) FILTER (WHERE failed)::int AS failed_attempts,
           min(first_seen) FILTER (WHERE failed) AS first_failed,
           max(last_seen) FILTER (WHERE failed) AS last_failed,
           coalesce(sum(attempts) FILTER (WHERE failed) > $3::float8 * sum(attempts), false) AS qualifies
    FROM source_rows
    GROUP BY key_hash
),
tried AS (
    -- each username it tried with the campaign codes, and what the answers revealed
    SELECT key_hash, user_principal_name,
           bool_or(error_code = ANY($4::text[])) AS account_exists,
           bool_or(error_code = ANY($5::text[])) AS not_found
    FROM source_rows
    WHERE failed
    GROUP BY key_hash, user_principal_name
),
names AS (
    SELECT key_hash,
           array_agg(user_principal_name ORDER BY user_principal_name) AS usernames,
           array_agg(account_exists ORDER BY user_principal_name) AS usernames_exist,
           array_agg(not_found ORDER BY user_principal_name) AS usernames_not_found
    FROM tried
    GROUP BY key_hash
)
UPDATE campaign_source_totals t
SET profile_known       = true,
    app_name            = CASE WHEN p.qualifies THEN p.app_name END,
    unique_usernames    = CASE WHEN p.qualifies THEN p.unique_usernames END,
    failed_attempts     = CASE WHEN p.qualifies THEN p.failed_attempts END,
    first_failed        = CASE WHEN p.qualifies THEN p.first_failed END,
    last_failed         = CASE WHEN p.qualifies THEN p.last_failed END,
    usernames           = CASE WHEN p.qualifies THEN n.usernames END,
    usernames_exist     = CASE WHEN p.qualifies THEN n.usernames_exist END,
    usernames_not_found = CASE WHEN p.qualifies THEN n.usernames_not_found END
FROM candidates c
LEFT JOIN profiles p ON p.key_hash = c.key_hash
LEFT JOIN names n ON n.key_hash = c.key_hash
WHERE t.dataset_id = $1::int AND t.key_hash = c.key_hash
