-- Stores the sums of sum-source-totals.sql as dataset $1's source totals.
INSERT INTO campaign_source_totals (dataset_id, key_hash, ip_address, client_app_used, user_agent, attempts, failed)
SELECT $1::int, key_hash, ip_address, client_app_used, user_agent, attempts, failed
FROM campaign_source_sums
