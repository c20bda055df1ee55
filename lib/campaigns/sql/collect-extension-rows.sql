-- The rollup rows the extended campaigns lack: their members' failures with the campaign codes
-- from the first appended hour on, and every such failure of the members that joined. The two
-- reads are apart so each stays an index scan of the rollup by address: the appended hours of
-- all members (a bounded range of buckets per address), the whole history of the joined ones.
-- $1 dataset id, $2 campaign codes text[], $3 the first appended hour timestamptz
INSERT INTO campaign_details_rows (campaign_id, bucket, ip_address, user_principal_name, error_code, attempts, first_seen, last_seen)
SELECT m.campaign_id, r.bucket, r.ip_address, r.user_principal_name, r.error_code, r.attempts, r.first_seen, r.last_seen
FROM sign_in_hourly_rollup r
JOIN campaign_details_members m
  ON m.ip_address = r.ip_address AND m.client_app_used = r.client_app_used AND m.user_agent = r.user_agent
 AND NOT m.joined
WHERE r.dataset_id = $1::int AND r.error_code = ANY($2::text[]) AND r.bucket >= $3::timestamptz
  AND r.ip_address = ANY (ARRAY(SELECT DISTINCT ip_address FROM campaign_details_members WHERE NOT joined))
UNION ALL
SELECT m.campaign_id, r.bucket, r.ip_address, r.user_principal_name, r.error_code, r.attempts, r.first_seen, r.last_seen
FROM sign_in_hourly_rollup r
JOIN campaign_details_members m
  ON m.ip_address = r.ip_address AND m.client_app_used = r.client_app_used AND m.user_agent = r.user_agent
 AND m.joined
WHERE r.dataset_id = $1::int AND r.error_code = ANY($2::text[])
  AND r.ip_address = ANY (ARRAY(SELECT DISTINCT ip_address FROM campaign_details_members WHERE joined))
