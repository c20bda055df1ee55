-- How far the campaign source totals of dataset $1 are up to date: the events' id sequence at
-- their last update and the campaign codes they count (no row, or NULL: never filled).
SELECT campaign_events_seen::text AS events_seen, campaign_codes
FROM dataset_derived_state
WHERE dataset_id = $1::int
