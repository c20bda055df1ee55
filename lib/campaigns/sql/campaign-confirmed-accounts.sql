-- The accounts a campaign's sources confirmed exist, with what they answered, how often, when
-- and from where, as the recompute keeps them (campaign_accounts, fill-campaign-accounts.sql).
-- $1 campaign id, $2 how many (NULL: all)
SELECT user_principal_name, error_codes, attempts, first_probed, last_probed, source_ips
FROM campaign_accounts
WHERE campaign_id = $1::int
ORDER BY user_principal_name
LIMIT $2::int
