-- A campaign gets its triage record the first time someone works on it, in the same table as the
-- findings' (kind 'campaign'), so one model, one audit trail and one review serve both. The record
-- is keyed by the campaign key (key_hash), which stays the same across recomputations while the
-- id may not (measure-campaigns.sql); ip/app/ua are the source the key is derived from. A campaign
-- has no hour of its own: bucket is the epoch for every campaign record.
-- $1 campaign ids int[]
INSERT INTO triage_records (dataset_id, kind, bucket, key_hash, ip_address, client_app_used, user_agent)
SELECT c.dataset_id, 'campaign', TIMESTAMPTZ '1970-01-01 00:00:00+00', c.campaign_key,
       s.ip_address, s.client_app_used, s.user_agent
FROM campaigns c
CROSS JOIN LATERAL (
    SELECT ip_address, client_app_used, user_agent
    FROM campaign_sources
    WHERE campaign_id = c.id
    ORDER BY first_seen, ip_address, client_app_used, user_agent
    LIMIT 1
) s
WHERE c.id = ANY($1::int[])
ON CONFLICT (dataset_id, kind, bucket, key_hash) DO NOTHING
