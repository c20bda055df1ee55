-- Campaigns of dataset $1 not found this time. Their sources go with them (cascade); findings
-- pointing at them are unlinked by the foreign key (SET NULL) and by link-findings.sql.
DELETE FROM campaigns
WHERE dataset_id = $1::int
  AND id NOT IN (SELECT campaign_id FROM campaign_work_campaigns WHERE campaign_id IS NOT NULL)
