-- Adds rollup rows grouped by the import (lib/ingest/hourly-rollup.ts, staged in
-- ingest_rollup_staging: one row per key, so no row is affected twice) to the hourly rollup.
-- $1 dataset id
INSERT INTO sign_in_hourly_rollup AS r (
    dataset_id, bucket, key_hash, ip_address, client_app_used, user_agent,
    user_principal_name, error_code, attempts, first_seen, last_seen, app_names)
SELECT $1, bucket,
       -- length-prefixed, so no two different keys can concatenate to the same text
       md5(ip_address::text || '|' || length(client_app_used) || ':' || client_app_used ||
           length(user_agent) || ':' || user_agent ||
           length(user_principal_name) || ':' || user_principal_name || '|' || error_code)::uuid,
       ip_address, client_app_used, user_agent, user_principal_name, error_code,
       attempts, first_seen, last_seen,
       -- the rule's AppList: at most 10 distinct names, the first in the database's collation
       CASE WHEN cardinality(app_names) <= 1 THEN app_names
            ELSE (SELECT (array_agg(name ORDER BY name))[1:10] FROM unnest(app_names) AS name) END
FROM ingest_rollup_staging
-- Rows of one code and hour land side by side in the table: the detection reads a few codes
-- out of every hour, and so finds them in a few pages instead of one page per row. (The byte
-- order of the code is enough for that, and cheaper to sort by than the collation.)
ORDER BY error_code COLLATE "C", bucket
ON CONFLICT (dataset_id, bucket, key_hash) DO UPDATE SET
    attempts   = r.attempts + excluded.attempts,
    first_seen = least(r.first_seen, excluded.first_seen),
    last_seen  = greatest(r.last_seen, excluded.last_seen),
    app_names  = coalesce((SELECT (array_agg(DISTINCT name ORDER BY name))[1:10]
                           FROM unnest(r.app_names || excluded.app_names) AS name), '{}')
