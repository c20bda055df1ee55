-- The failed attempts' times of each source in a component, where the totals know them (read by
-- an earlier refresh, with the failures appended since added: forget-source-measures.sql), so
-- after an append a campaign's cadence reads only the events of sources new to a component.
-- $1 dataset id
UPDATE campaign_work_sources s
SET failure_times = t.failure_times
FROM campaign_source_totals t
WHERE s.component IS NOT NULL
  AND t.dataset_id = $1::int
  AND t.key_hash = s.key_hash
  AND t.failure_times IS NOT NULL
