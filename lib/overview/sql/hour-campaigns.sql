-- The campaigns with attempts in one UTC hour: those of their sources that failed sign-ins in the
-- hour (any code the campaigns link on), how many addresses and names that was.
-- $1 dataset ids int[] (NULL: all), $2 hour start timestamptz, $3 campaign codes text[]
SELECT c.id, c.verdict, c.unique_usernames, c.ip_count, c.first_seen, c.last_seen, c.reasons,
       count(DISTINCT r.ip_address)::int AS hour_ips,
       count(DISTINCT r.user_principal_name)::int AS hour_usernames,
       coalesce(t.status::text, 'new') AS triage_status
FROM campaigns c
JOIN campaign_sources s ON s.campaign_id = c.id
JOIN sign_in_hourly_rollup r
  ON r.dataset_id = c.dataset_id AND r.bucket = $2::timestamptz
 AND r.ip_address = s.ip_address AND r.client_app_used = s.client_app_used AND r.user_agent = s.user_agent
 AND r.error_code = ANY($3::text[])
LEFT JOIN triage_records t
       ON t.dataset_id = c.dataset_id AND t.kind = 'campaign'
      AND t.bucket = TIMESTAMPTZ '1970-01-01 00:00:00+00' AND t.key_hash = c.campaign_key
WHERE ($1::int[] IS NULL OR c.dataset_id = ANY($1::int[]))
  AND c.first_seen < $2::timestamptz + interval '1 hour' AND c.last_seen >= $2::timestamptz
GROUP BY c.id, t.status
ORDER BY hour_usernames DESC, c.id
