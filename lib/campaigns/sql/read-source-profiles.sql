-- The profile and usernames of each source whose rollup rows read-source-rows.sql just read, kept
-- in its totals: read by an earlier refresh, they hold until its address gets events
-- (forget-source-measures.sql), so after an append only the sources of the addresses it reached
-- are read, not a month of every attacker source. The HAVING of a group repeats the totals' test
-- on the rollup itself; a source that fails it is known with no profile.
-- $1 dataset id               int
-- $2 minimum failure share    float8
-- $3 existing-account codes   text[]
-- $4 not-found codes          text[]
WITH profiles AS (
    SELECT key_hash,
           -- the app most of its failed rows went to (the rollup keeps a row's app names sorted)
           coalesce(mode() WITHIN GROUP (ORDER BY app_names[1]) FILTER (WHERE failed AND cardinality(app_names) > 0), '') AS app_name,
           count(DISTINCT user_principal_name) FILTER (WHERE failed)::int AS unique_usernames,
           sum(attempts) FILTER (WHERE failed)::int AS failed_attempts,
           min(first_seen) FILTER (WHERE failed) AS first_failed,
           max(last_seen) FILTER (WHERE failed) AS last_failed,
           coalesce(sum(attempts) FILTER (WHERE failed) > $2::float8 * sum(attempts), false) AS qualifies
    FROM campaign_work_rows
    GROUP BY key_hash
),
tried AS (
    -- each username it tried with the campaign codes, and what the answers revealed
    SELECT key_hash, user_principal_name,
           bool_or(error_code = ANY($3::text[])) AS account_exists,
           bool_or(error_code = ANY($4::text[])) AS not_found
    FROM campaign_work_rows
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
-- every candidate has rollup rows (its totals were read from them, or from the events they count)
FROM profiles p
LEFT JOIN names n ON n.key_hash = p.key_hash
WHERE t.dataset_id = $1::int AND t.key_hash = p.key_hash
