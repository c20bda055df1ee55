-- Adds the rows the extended campaigns lacked (collect-extension-rows.sql) to their timelines: an
-- hour and address they already had gains the attempts of the sources that joined there.
INSERT INTO campaign_hours AS h (campaign_id, bucket, ip_address, attempts)
SELECT campaign_id, bucket, host(ip_address), sum(attempts)::int
FROM campaign_details_rows
GROUP BY campaign_id, bucket, host(ip_address)
ON CONFLICT (campaign_id, bucket, ip_address) DO UPDATE SET attempts = h.attempts + excluded.attempts
