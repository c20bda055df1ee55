-- One stored finding with its dataset.
-- $1 finding id
SELECT f.id, f.dataset_id, d.name AS dataset_name, f.bucket, host(f.ip_address) AS ip_address,
       f.client_app_used, f.user_agent, f.unique_usernames, f.attempt_count, f.username_sample,
       f.app_list, f.first_seen, f.last_seen, f.duration_minutes, f.enumeration_rate_per_min,
       f.verdict, f.window_minutes, f.error_codes, f.detected_at
FROM findings f
JOIN datasets d ON d.id = f.dataset_id
WHERE f.id = $1::int
