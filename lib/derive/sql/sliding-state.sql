-- What the sliding windows left stored for the addresses of the recompute's derive_scope table:
-- each peak laid over an hourly finding (the best one overlapping it), and the peaks that
-- became sliding findings of their own (bucket = the window's start). A scoped recompute keeps
-- those it does not recompute (lib/derive/sliding-after-append.ts). $1 dataset id
SELECT 'laid' AS stored_as, host(ip_address) AS ip_address, client_app_used, user_agent,
       sliding_peak_start AS window_start, sliding_peak_usernames AS unique_usernames
FROM findings
WHERE dataset_id = $1::int AND kind = 'hourly' AND sliding_peak_usernames IS NOT NULL
  AND ip_address IN (SELECT ip_address FROM derive_scope)
UNION ALL
SELECT 'own', host(ip_address), client_app_used, user_agent, bucket, unique_usernames
FROM findings
WHERE dataset_id = $1::int AND kind = 'sliding'
  AND ip_address IN (SELECT ip_address FROM derive_scope)
