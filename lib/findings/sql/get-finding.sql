-- One stored finding with its dataset.
-- $1 finding id
SELECT f.id, f.dataset_id, d.name AS dataset_name, f.bucket, host(f.ip_address) AS ip_address,
       f.client_app_used, f.user_agent, f.unique_usernames, f.attempt_count, f.username_sample,
       f.app_list, f.first_seen, f.last_seen, f.duration_minutes, f.enumeration_rate_per_min,
       f.verdict, f.window_minutes, f.error_codes, f.detected_at,
       f.kind, f.not_found_usernames, f.confirmed_accounts, f.sliding_peak_usernames, f.sliding_peak_start,
       f.sliding_verdict, f.escalated, f.suppressed_by_id, s.name AS suppressed_by_name, s.reason AS suppressed_reason, f.campaign_id
FROM findings f
JOIN datasets d ON d.id = f.dataset_id
LEFT JOIN suppression_rules s ON s.id = f.suppressed_by_id
WHERE f.id = $1::int
