-- Before the campaigns are recomputed: the addresses of each campaign of the dataset (what the
-- escalations' "same campaign" relation reads). $1 dataset id
INSERT INTO derive_campaign_addresses (campaign_id, ip_address)
SELECT DISTINCT cs.campaign_id, cs.ip_address
FROM campaign_sources cs
JOIN campaigns c ON c.id = cs.campaign_id
WHERE c.dataset_id = $1::int
