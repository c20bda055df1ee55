-- Keeps in the totals the events' ASN just read for the sources whose ASN they did not know
-- (NULL too: the events carry none), before the offline table fills the gaps, so the next
-- refresh after an append reads only the addresses that got events (asn-from-totals.sql).
-- $1 dataset id
UPDATE campaign_source_totals t
SET events_asn = s.autonomous_system,
    events_asn_known = true
FROM campaign_work_sources s
WHERE t.dataset_id = $1::int
  AND t.key_hash = s.key_hash
  AND NOT s.asn_known
