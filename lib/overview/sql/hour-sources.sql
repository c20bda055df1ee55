-- One UTC hour's failed sign-ins with the rule's codes, per source IP: how many addresses, and the
-- busiest of them, so an hour nothing explains still shows where its names came from.
-- $1 dataset ids int[] (NULL: all), $2 hour start timestamptz, $3 rule codes text[], $4 limit
SELECT host(ip_address) AS ip_address,
       count(DISTINCT user_principal_name)::int AS unique_usernames,
       sum(attempts)::int AS attempts,
       count(*) OVER ()::int AS source_ips
FROM sign_in_hourly_rollup
WHERE ($1::int[] IS NULL OR dataset_id = ANY($1::int[]))
  AND bucket = $2::timestamptz
  AND error_code = ANY($3::text[])
  AND user_principal_name <> ''
GROUP BY ip_address
ORDER BY unique_usernames DESC, attempts DESC, ip_address
LIMIT $4::int
