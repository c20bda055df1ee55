-- The campaigns of dataset $1 whose hours and accounts must be (re)built: those whose inputs
-- changed since they were built, or that have none yet. The inputs are the codes and every
-- member source with its attempts and first and last attempt: events are only ever added, so a
-- campaign whose sources gained no failed attempt with these codes reads the same rollup rows
-- as before. Record text (ROW(…)::text) quotes what needs it, so no two inputs read alike.
-- $1 dataset id, $2 campaign codes text[], $3 confirming codes text[]
INSERT INTO campaign_details_work (campaign_id, inputs_hash)
WITH inputs AS (
    SELECT c.id AS campaign_id,
           md5(ROW($2::text[], $3::text[])::text || string_agg(
               ROW(s.ip_address, s.client_app_used, s.user_agent, s.attempts, s.first_seen, s.last_seen)::text, E'\n'
               ORDER BY s.ip_address, s.client_app_used, s.user_agent)) AS inputs_hash
    FROM campaigns c
    JOIN campaign_sources s ON s.campaign_id = c.id
    WHERE c.dataset_id = $1::int
    GROUP BY c.id
)
SELECT i.campaign_id, i.inputs_hash
FROM inputs i
LEFT JOIN campaign_details_state d ON d.campaign_id = i.campaign_id
WHERE d.inputs_hash IS DISTINCT FROM i.inputs_hash
