-- Reads from the hourly rollup the usernames each source in campaign_work_sources tried with the
-- campaign codes, and what they revealed, for the sources whose usernames are not kept yet (kept
-- like their profile until their address gets events: forget-source-measures.sql). Read by the
-- sources' addresses: the rollup's failures of the whole tenant are not looked at.
-- $1 dataset id               int
-- $2 campaign codes           text[]
-- $3 existing-account codes   text[]
-- $4 not-found codes          text[]
WITH unread AS MATERIALIZED (
    SELECT s.key_hash, s.ip_address, s.client_app_used, s.user_agent
    FROM campaign_work_sources s
    WHERE NOT EXISTS (SELECT 1 FROM campaign_source_usernames u WHERE u.dataset_id = $1::int AND u.key_hash = s.key_hash)
)
INSERT INTO campaign_source_usernames (dataset_id, key_hash, name_hash, user_principal_name, account_exists, not_found)
SELECT $1::int, s.key_hash, md5(r.user_principal_name)::uuid, r.user_principal_name,
       bool_or(r.error_code = ANY($3::text[])),
       bool_or(r.error_code = ANY($4::text[]))
FROM sign_in_hourly_rollup r
JOIN unread s ON s.ip_address = r.ip_address
             AND s.client_app_used = r.client_app_used
             AND s.user_agent = r.user_agent
WHERE r.dataset_id = $1::int AND r.error_code = ANY($2::text[])
  -- one array of the addresses, looked up in the rollup's failures index: as IN (SELECT …) it
  -- was planned as a nested-loop semi-join comparing every row read with every address
  AND r.ip_address = ANY (ARRAY(SELECT DISTINCT ip_address FROM unread))
GROUP BY s.key_hash, r.user_principal_name
