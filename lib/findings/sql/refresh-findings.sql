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
keyed AS (
    SELECT d.*, md5(ip_address || '|' || length(client_app_used) || ':' || client_app_used || user_agent)::uuid AS key_hash
    FROM detected d
),
written AS (
    INSERT INTO findings AS f (
        dataset_id, kind, bucket, key_hash, ip_address, client_app_used, user_agent, unique_usernames,
        attempt_count, username_sample, app_list, first_seen, last_seen, duration_minutes,
        enumeration_rate_per_min, verdict, window_minutes, error_codes, detected_at)
    SELECT dataset_id, '{{kind}}', bucket, key_hash,
           ip_address::inet, client_app_used, user_agent, unique_usernames, attempt_count,
           username_sample, app_list, first_seen, last_seen, duration_minutes,
           enumeration_rate_per_min, verdict,
           extract(epoch FROM $5::interval)::int / 60, $2::text[], now()
    FROM keyed
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
        error_codes              = excluded.error_codes
        -- detected_at stays: when the finding first appeared
    -- A finding found again as it was keeps its row version: every update leaves a dead one
    -- behind, and a recompute found most findings again unchanged (a full one, all of them).
    WHERE (f.unique_usernames, f.attempt_count, f.username_sample, f.app_list, f.first_seen, f.last_seen,
           f.duration_minutes, f.enumeration_rate_per_min, f.verdict, f.window_minutes, f.error_codes)
          IS DISTINCT FROM
          (excluded.unique_usernames, excluded.attempt_count, excluded.username_sample, excluded.app_list,
           excluded.first_seen, excluded.last_seen, excluded.duration_minutes, excluded.enumeration_rate_per_min,
           excluded.verdict, excluded.window_minutes, excluded.error_codes)
    RETURNING id
),
removed AS (
    -- Not found again: no detected window has its key (the unchanged ones are not in `written`).
    -- NOT IN over keys that are never NULL: a hashed subplan, whatever the planner guesses of the
    -- detection's size.
    DELETE FROM findings g
    WHERE g.dataset_id = ANY($1::int[]) AND g.kind = '{{kind}}'
      AND (g.dataset_id, g.bucket, g.key_hash) NOT IN (SELECT k.dataset_id, k.bucket, k.key_hash FROM keyed k)
      AND ($3::timestamptz IS NULL OR g.bucket >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR g.bucket < $4::timestamptz)
      AND g.ip_address IN (SELECT ip_address FROM derive_scope)
    RETURNING g.id
)
UPDATE datasets SET findings_computed_at = now()
WHERE id = ANY($1::int[])
RETURNING (SELECT count(*) FROM keyed)::int AS findings, (SELECT count(*) FROM removed)::int AS removed
