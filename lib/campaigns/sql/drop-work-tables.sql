DROP TABLE IF EXISTS campaign_work_edges, campaign_work_sources, campaign_work_campaigns, campaign_work_rows;
