-- The usernames each source tried with the campaign codes, and what they revealed. Read by the
-- sources' addresses: the rollup's failures of the whole tenant are not looked at.
-- $1 dataset id               int
-- $2 campaign codes           text[]
-- $3 existing-account codes   text[]
-- $4 not-found codes          text[]
INSERT INTO campaign_work_usernames (source_id, user_principal_name, account_exists, not_found)
SELECT s.id, r.user_principal_name,
       bool_or(r.error_code = ANY($3::text[])),
       bool_or(r.error_code = ANY($4::text[]))
FROM sign_in_hourly_rollup r
JOIN campaign_work_sources s ON s.ip_address = r.ip_address
                            AND s.client_app_used = r.client_app_used
                            AND s.user_agent = r.user_agent
WHERE r.dataset_id = $1::int AND r.error_code = ANY($2::text[])
  -- one array of the addresses, looked up in the rollup's failures index: as IN (SELECT …) it
  -- was planned as a nested-loop semi-join comparing every row read with every address
  AND r.ip_address = ANY (ARRAY(SELECT DISTINCT ip_address FROM campaign_work_sources))
GROUP BY s.id, r.user_principal_name
