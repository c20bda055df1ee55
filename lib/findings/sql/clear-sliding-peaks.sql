-- Before sliding peaks are laid over a dataset's hourly findings again: those of the sources
-- whose windows the recompute finds again that reach their `since` (derive_window_sources,
-- lib/derive/sql/fill-window-sources.sql). $1 dataset id
UPDATE findings f SET sliding_peak_usernames = NULL, sliding_peak_start = NULL, sliding_verdict = NULL
WHERE f.dataset_id = $1::int AND f.kind = 'hourly' AND f.sliding_peak_usernames IS NOT NULL
  AND f.ip_address IN (SELECT ip_address FROM derive_window_sources)
  AND EXISTS (SELECT 1 FROM derive_window_sources w
              WHERE w.ip_address = f.ip_address
                AND (w.client_app_used IS NULL OR (w.client_app_used = f.client_app_used AND w.user_agent = f.user_agent))
                AND (w.since IS NULL OR f.bucket + make_interval(mins => f.window_minutes) > w.since))
