-- The usernames each source tried with the campaign codes, and what they revealed, as the
-- dataset keeps them (read-source-usernames.sql).
-- $1 dataset id               int
INSERT INTO campaign_work_usernames (source_id, user_principal_name, account_exists, not_found)
SELECT s.id, u.user_principal_name, u.account_exists, u.not_found
FROM campaign_work_sources s
JOIN campaign_source_usernames u ON u.dataset_id = $1::int AND u.key_hash = s.key_hash
