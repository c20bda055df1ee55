-- The sources (IP, client app, user agent) with a failure of the rule's codes in the hours
-- [$2, $3): after an append, the only sources whose sliding windows can differ (a window counts
-- those failures of its own source alone). Read from the rollup's code index, the range only.
-- $1 dataset id, $2 from timestamptz (an hour), $3 to timestamptz (an hour), $4 the rule's codes text[]
SELECT DISTINCT host(ip_address) AS ip_address, client_app_used, user_agent
FROM sign_in_hourly_rollup
WHERE dataset_id = $1::int AND error_code = ANY($4::text[])
  AND bucket >= $2::timestamptz AND bucket < $3::timestamptz
