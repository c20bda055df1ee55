-- Keeps in the totals the cadences just measured from the events (NULL too: no steady rhythm),
-- so the next refresh after an append measures only the sources whose addresses got events
-- (measure-source-cadence.sql takes the others from the totals).
-- $1 dataset id
UPDATE campaign_source_totals t
SET cadence_seconds = s.cadence_seconds,
    cadence_known = true
FROM campaign_work_sources s
WHERE t.dataset_id = $1::int
  AND t.key_hash = s.key_hash
  AND s.cadence_measured
