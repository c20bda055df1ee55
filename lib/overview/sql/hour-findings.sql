-- The findings of every kind whose window overlaps one UTC hour: what explains the hour's bar.
-- Suppressed ones come along, marked, so the page can say they are hidden rather than absent.
-- $1 dataset ids int[] (NULL: all), $2 hour start timestamptz
SELECT f.id, f.kind, f.bucket, f.window_minutes, host(f.ip_address) AS ip_address, f.unique_usernames,
       f.attempt_count, f.verdict, f.escalated, f.suppressed_by_id IS NOT NULL AS suppressed, f.campaign_id
FROM findings f
WHERE ($1::int[] IS NULL OR f.dataset_id = ANY($1::int[]))
  AND f.bucket < $2::timestamptz + interval '1 hour'
  -- a window is at most 30 days long (extended-settings.ts): the bucket index bounds the search
  AND f.bucket > $2::timestamptz - interval '31 days'
  AND f.bucket + make_interval(mins => f.window_minutes) > $2::timestamptz
ORDER BY f.suppressed_by_id IS NOT NULL, f.unique_usernames DESC, f.id
LIMIT 200
