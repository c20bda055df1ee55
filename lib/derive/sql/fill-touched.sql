-- Every source IP with a sign-in in the time range [$2, $3), read from the hourly rollup (whole
-- hours). $1 dataset id, $2 from timestamptz, $3 to timestamptz
INSERT INTO derive_touched (ip_address)
SELECT DISTINCT ip_address
FROM sign_in_hourly_rollup
WHERE dataset_id = $1::int
  AND bucket >= date_trunc('hour', $2::timestamptz) AND bucket < $3::timestamptz
