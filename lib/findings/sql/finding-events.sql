-- The sign-in events one stored finding counted, in time order (the raw-events table of the
-- drill-down; the original record is fetched per event on demand).
-- $1 finding id, $2 limit
SELECT e.id, e.created_at, e.user_principal_name, e.error_code, e.app_display_name,
       e.failure_reason, e.is_interactive, b.source_format,
       coalesce(e.source_event_uuid::text, e.source_event_id) AS source_event_id
FROM findings f
JOIN sign_in_events e
  ON e.dataset_id = f.dataset_id
 AND e.ip_address = f.ip_address
 AND e.created_at >= f.bucket AND e.created_at < f.bucket + make_interval(mins => f.window_minutes)
 AND e.client_app_used = f.client_app_used
 AND e.user_agent_id = user_agent_key(f.user_agent)
 AND e.error_code = ANY(f.error_codes)
 AND e.user_principal_name <> ''
-- the source format is its record block's (one import's)
JOIN sign_in_record_blocks b ON b.dataset_id = e.dataset_id AND b.block_id = e.record_block
WHERE f.id = $1::int
ORDER BY e.created_at, e.id
LIMIT $2::int
