-- Failed attempts of a campaign's sources per hour and source IP, as the recompute keeps them
-- (campaign_hours, fill-campaign-hours.sql): one row per point of the chart, none from the rollup.
-- The hour as whole hours since 1970: a month-long campaign has thousands of rows, and parsing
-- each one's timestamp into a Date cost the page more than its query.
-- $1 campaign id
SELECT (extract(epoch FROM bucket) / 3600)::int AS hour, ip_address, attempts
FROM campaign_hours
WHERE campaign_id = $1::int
ORDER BY bucket, ip_address::inet
