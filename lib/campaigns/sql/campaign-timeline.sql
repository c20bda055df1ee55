-- Failed attempts of a campaign's sources per hour and source IP, as the recompute keeps them
-- (campaign_hours, fill-campaign-hours.sql): one row per point of the chart, none from the rollup.
-- $1 campaign id
SELECT bucket, ip_address, attempts
FROM campaign_hours
WHERE campaign_id = $1::int
ORDER BY bucket, ip_address::inet
