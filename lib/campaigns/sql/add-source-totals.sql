-- Adds the events of dataset $1 appended since the totals were last updated (ids in ($2, $3]) to
-- the campaign source totals, with the campaign codes $4. The rollup counts exactly these events
-- (an address, a username and a code: ingest/sql/merge-rollup.sql), so the totals stay equal to
-- what fill-source-totals.sql would read from it. Reads only the appended events (by id). What
-- was added is kept in campaign_source_delta for the escalations (whose neighbour addresses'
-- failure share changed: lib/derive/sql/fill-escalation-scope.sql).
-- $1 dataset id, $2 id seen before bigint, $3 id seen now bigint, $4 campaign codes text[]
WITH grouped AS (
    -- by the user agent's key (one per text in a dataset); the text is the dictionary's
    SELECT ip_address, client_app_used, user_agent_id,
           count(*) AS attempts, count(*) FILTER (WHERE error_code = ANY($4::text[])) AS failed
    FROM sign_in_events
    WHERE dataset_id = $1::int AND id > $2::bigint AND id <= $3::bigint
      AND ip_address IS NOT NULL AND user_principal_name <> '' AND error_code IS NOT NULL
    GROUP BY ip_address, client_app_used, user_agent_id
),
delta AS MATERIALIZED (
    SELECT campaign_source_key(g.ip_address, g.client_app_used, coalesce(u.user_agent, '')) AS key_hash,
           g.ip_address, g.client_app_used, coalesce(u.user_agent, '') AS user_agent, g.attempts, g.failed
    FROM grouped g
    LEFT JOIN user_agents u ON u.dataset_id = $1::int AND u.user_agent_id = g.user_agent_id
),
added AS (
    INSERT INTO campaign_source_totals AS t (dataset_id, key_hash, ip_address, client_app_used, user_agent, attempts, failed)
    SELECT $1::int, key_hash, ip_address, client_app_used, user_agent, attempts, failed
    FROM delta
    ON CONFLICT (dataset_id, key_hash) DO UPDATE SET
        attempts = t.attempts + excluded.attempts,
        failed   = t.failed + excluded.failed
)
INSERT INTO campaign_source_delta (key_hash, ip_address, attempts, failed)
SELECT key_hash, ip_address, attempts, failed FROM delta
