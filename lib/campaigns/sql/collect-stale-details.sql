-- The campaigns of dataset $1 whose hours and accounts must be rebuilt or extended: those whose
-- inputs changed since they were built, or that have none yet. The inputs are the codes and every
-- member source with its attempts and first and last attempt: events are only ever added, so a
-- campaign whose sources gained no failed attempt with these codes reads the same rollup rows
-- as before. Record text (ROW(…)::text) quotes what needs it, so no two inputs read alike.
--
-- One whose rows were built with the same codes, from sources that are all still members, and
-- hold no failure from the appended hours on (its last failure then was before them) is extended:
-- what it lacks is exactly the appended hours' rows and every row of the sources that joined.
-- $1 dataset id, $2 campaign codes text[], $3 confirming codes text[],
-- $4 the first appended hour timestamptz (NULL: a full recompute, every stale campaign is rebuilt)
INSERT INTO campaign_details_work (campaign_id, inputs_hash, codes_hash, member_keys, last_seen, extend)
WITH members AS (
    SELECT s.campaign_id, s.ip_address, s.client_app_used, s.user_agent, s.attempts, s.first_seen, s.last_seen,
           campaign_source_key(s.ip_address, s.client_app_used, s.user_agent) AS key_hash
    FROM campaigns c
    JOIN campaign_sources s ON s.campaign_id = c.id
    WHERE c.dataset_id = $1::int
),
inputs AS (
    SELECT campaign_id,
           md5(ROW($2::text[], $3::text[])::text || string_agg(
               ROW(ip_address, client_app_used, user_agent, attempts, first_seen, last_seen)::text, E'\n'
               ORDER BY ip_address, client_app_used, user_agent)) AS inputs_hash,
           md5(ROW($2::text[], $3::text[])::text) AS codes_hash,
           array_agg(key_hash ORDER BY key_hash) AS member_keys,
           max(last_seen) AS last_seen
    FROM members
    GROUP BY campaign_id
)
SELECT i.campaign_id, i.inputs_hash, i.codes_hash, i.member_keys, i.last_seen,
       coalesce($4::timestamptz IS NOT NULL
                AND d.codes_hash = i.codes_hash
                AND d.member_keys <@ i.member_keys
                AND d.built_last_seen < $4::timestamptz, false)
FROM inputs i
LEFT JOIN campaign_details_state d ON d.campaign_id = i.campaign_id
WHERE d.inputs_hash IS DISTINCT FROM i.inputs_hash
RETURNING extend
