DROP TABLE IF EXISTS campaign_details_work
