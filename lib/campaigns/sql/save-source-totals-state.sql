-- The campaign source totals of dataset $1 now count every event up to id $2 with codes $3.
INSERT INTO dataset_derived_state AS s (dataset_id, campaign_events_seen, campaign_codes)
VALUES ($1::int, $2::bigint, $3::text[])
ON CONFLICT (dataset_id) DO UPDATE SET
    campaign_events_seen = excluded.campaign_events_seen,
    campaign_codes       = excluded.campaign_codes
