-- Adds the rows the extended campaigns lacked (collect-extension-rows.sql) to the accounts their
-- sources confirmed exist, merged with what each account already had as fill-campaign-accounts.sql
-- would have computed them from all the rows at once.
-- $1 existing-account codes the campaigns count text[]
INSERT INTO campaign_accounts AS a (campaign_id, key_hash, user_principal_name, error_codes, attempts,
                                    first_probed, last_probed, source_ips)
SELECT campaign_id, md5(user_principal_name)::uuid, user_principal_name,
       array_agg(DISTINCT error_code ORDER BY error_code),
       sum(attempts)::int,
       min(first_seen),
       max(last_seen),
       array_agg(DISTINCT host(ip_address) ORDER BY host(ip_address))
FROM campaign_details_rows
WHERE error_code = ANY($1::text[])
GROUP BY campaign_id, user_principal_name
ON CONFLICT (campaign_id, key_hash) DO UPDATE SET
    error_codes  = ARRAY(SELECT DISTINCT c FROM unnest(a.error_codes || excluded.error_codes) AS c ORDER BY c),
    attempts     = a.attempts + excluded.attempts,
    first_probed = least(a.first_probed, excluded.first_probed),
    last_probed  = greatest(a.last_probed, excluded.last_probed),
    source_ips   = ARRAY(SELECT DISTINCT ip FROM unnest(a.source_ips || excluded.source_ips) AS ip ORDER BY ip)
