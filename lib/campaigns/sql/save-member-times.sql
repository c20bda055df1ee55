-- Keeps in the totals the failed attempts' times just read from the events, so the next refresh
-- after an append reads none of them again: an append adds its failures to them
-- (forget-source-measures.sql, member-times-from-totals.sql).
-- $1 dataset id
UPDATE campaign_source_totals t
SET failure_times = s.failure_times
FROM campaign_work_sources s
WHERE t.dataset_id = $1::int
  AND t.key_hash = s.key_hash
  AND s.times_read
