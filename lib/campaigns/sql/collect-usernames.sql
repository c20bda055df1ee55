-- The usernames each source tried with the campaign codes, and what they revealed, as its totals
-- keep them (read-source-profiles.sql).
-- $1 dataset id               int
INSERT INTO campaign_work_usernames (source_id, user_principal_name, account_exists, not_found)
SELECT s.id, n.user_principal_name, n.account_exists, n.not_found
FROM campaign_work_sources s
JOIN campaign_source_totals t ON t.dataset_id = $1::int AND t.key_hash = s.key_hash
CROSS JOIN LATERAL unnest(t.usernames, t.usernames_exist, t.usernames_not_found) AS n(user_principal_name, account_exists, not_found)
