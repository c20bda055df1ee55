-- What the rebuilt and extended campaigns' hours and accounts were computed from.
INSERT INTO campaign_details_state (campaign_id, inputs_hash, codes_hash, member_keys, built_last_seen)
SELECT campaign_id, inputs_hash, codes_hash, member_keys, last_seen FROM campaign_details_work
ON CONFLICT (campaign_id) DO UPDATE SET
    inputs_hash     = excluded.inputs_hash,
    codes_hash      = excluded.codes_hash,
    member_keys     = excluded.member_keys,
    built_last_seen = excluded.built_last_seen
