-- Before the campaigns are recomputed: the campaign of each finding of the dataset that has one.
-- $1 dataset id
INSERT INTO derive_finding_campaigns (finding_id, campaign_id)
SELECT id, campaign_id FROM findings WHERE dataset_id = $1::int AND campaign_id IS NOT NULL
