-- link-findings.sql over the campaigns as they are stored: points every finding of dataset $1
-- (any kind) whose source is a member of one of the dataset's campaigns at that campaign, and
-- clears the link of every other finding of the dataset. For a recompute that left the campaigns
-- as they were (refresh-campaigns.ts, keepCampaigns) but may have written findings anew.
UPDATE findings f
SET campaign_id = linked.campaign_id
FROM (
    SELECT f2.id, m.campaign_id
    FROM findings f2
    LEFT JOIN (
        SELECT s.ip_address, s.client_app_used, s.user_agent, s.campaign_id
        FROM campaign_sources s
        JOIN campaigns c ON c.id = s.campaign_id
        WHERE c.dataset_id = $1::int
    ) m ON m.ip_address = f2.ip_address
       AND m.client_app_used = f2.client_app_used
       AND m.user_agent = f2.user_agent
    WHERE f2.dataset_id = $1::int
) linked
WHERE f.id = linked.id
  AND f.campaign_id IS DISTINCT FROM linked.campaign_id
