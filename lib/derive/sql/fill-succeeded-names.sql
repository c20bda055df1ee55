-- The names with a "password right" sign-in in the recomputed range [$2, $3), with the address
-- it came from, each pair once, with statistics, so the escalation scope's join hashes them.
-- $1 dataset id, $2 from timestamptz, $3 to timestamptz, $4 "password right" codes text[]
INSERT INTO derive_succeeded (user_principal_name, ip_address)
SELECT DISTINCT user_principal_name, ip_address
FROM sign_in_hourly_rollup
WHERE dataset_id = $1::int AND error_code = ANY($4::text[])
  AND bucket >= date_trunc('hour', $2::timestamptz) AND bucket < $3::timestamptz
