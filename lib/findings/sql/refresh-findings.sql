-- Replaces the stored findings of one kind of the datasets in $1 with what a detection finds
-- now: the reference rule ('hourly', from lib/detection/sql/findings-from-*.sql) or windows
-- found beyond it ('sliding', 'low_and_slow', from describe-windows.sql) — the detected CTE,
-- whose parameters this statement shares. The kind is one of those fixed words, set by the code.
-- A finding found again keeps its id (links and triage point at it); one no longer found is
-- removed, within what the recompute looked at: the source IPs of its derive_scope table
-- (lib/derive/scope.ts) and, for hourly findings, the buckets of the time range $3-$4.
WITH detected AS (
    {{detection}}
),
kept AS (
    INSERT INTO findings AS f (
        dataset_id, kind, bucket, key_hash, ip_address, client_app_used, user_agent, unique_usernames,
        attempt_count, username_sample, app_list, first_seen, last_seen, duration_minutes,
        enumeration_rate_per_min, verdict, window_minutes, error_codes, detected_at)
    SELECT dataset_id, '{{kind}}', bucket,
           md5(ip_address || '|' || length(client_app_used) || ':' || client_app_used || user_agent)::uuid,
           ip_address::inet, client_app_used, user_agent, unique_usernames, attempt_count,
           username_sample, app_list, first_seen, last_seen, duration_minutes,
           enumeration_rate_per_min, verdict,
           extract(epoch FROM $5::interval)::int / 60, $2::text[], now()
    FROM detected
    ON CONFLICT (dataset_id, kind, bucket, key_hash) DO UPDATE SET
        unique_usernames         = excluded.unique_usernames,
        attempt_count            = excluded.attempt_count,
        username_sample          = excluded.username_sample,
        app_list                 = excluded.app_list,
        first_seen               = excluded.first_seen,
        last_seen                = excluded.last_seen,
        duration_minutes         = excluded.duration_minutes,
        enumeration_rate_per_min = excluded.enumeration_rate_per_min,
        verdict                  = excluded.verdict,
        window_minutes           = excluded.window_minutes,
        error_codes              = excluded.error_codes,
        -- detected_at stays: when the finding first appeared
        detected_at              = f.detected_at
    RETURNING id
),
removed AS (
    DELETE FROM findings
    WHERE dataset_id = ANY($1::int[]) AND kind = '{{kind}}' AND id NOT IN (SELECT id FROM kept)
      AND ($3::timestamptz IS NULL OR bucket >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR bucket < $4::timestamptz)
      AND ip_address IN (SELECT ip_address FROM derive_scope)
    RETURNING id
)
UPDATE datasets SET findings_computed_at = now()
WHERE id = ANY($1::int[])
RETURNING (SELECT count(*) FROM kept)::int AS findings, (SELECT count(*) FROM removed)::int AS removed
