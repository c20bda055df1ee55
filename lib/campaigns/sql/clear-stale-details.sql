-- The hours and accounts of the campaigns about to be rebuilt go first.
WITH hours AS (
    DELETE FROM campaign_hours WHERE campaign_id IN (SELECT campaign_id FROM campaign_details_work WHERE NOT extend)
)
DELETE FROM campaign_accounts WHERE campaign_id IN (SELECT campaign_id FROM campaign_details_work WHERE NOT extend)
