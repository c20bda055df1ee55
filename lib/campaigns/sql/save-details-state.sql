-- What the rebuilt campaigns' hours and accounts were computed from.
INSERT INTO campaign_details_state (campaign_id, inputs_hash)
SELECT campaign_id, inputs_hash FROM campaign_details_work
ON CONFLICT (campaign_id) DO UPDATE SET inputs_hash = excluded.inputs_hash
