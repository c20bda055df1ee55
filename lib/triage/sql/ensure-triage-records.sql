-- A finding gets its triage record the first time someone works on it. The record copies the
-- finding's natural key, so it stays attached when the detection runs again and ids change.
-- $1 finding ids int[]
INSERT INTO triage_records (dataset_id, kind, bucket, key_hash, ip_address, client_app_used, user_agent)
SELECT dataset_id, kind, bucket, key_hash, ip_address, client_app_used, user_agent
FROM findings
WHERE id = ANY($1::int[])
ON CONFLICT (dataset_id, kind, bucket, key_hash) DO NOTHING
