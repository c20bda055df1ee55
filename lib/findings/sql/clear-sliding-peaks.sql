-- Before sliding peaks are laid over a dataset's hourly findings again: those of the source IPs
-- the recompute looks at (derive_scope, lib/derive/scope.ts). $1 dataset id
UPDATE findings SET sliding_peak_usernames = NULL, sliding_peak_start = NULL, sliding_verdict = NULL
WHERE dataset_id = $1::int AND kind = 'hourly' AND sliding_peak_usernames IS NOT NULL
  AND ip_address IN (SELECT ip_address FROM derive_scope)
