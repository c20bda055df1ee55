-- The autonomous system of each source's address as its events recorded it, where the totals
-- still know it (measured by an earlier refresh, and the address got no event since:
-- forget-source-measures.sql): after an append, most sources' events need not be read again.
-- $1 dataset id
UPDATE campaign_work_sources s
SET autonomous_system = t.events_asn,
    asn_known = true
FROM campaign_source_totals t
WHERE t.dataset_id = $1::int
  AND t.key_hash = s.key_hash
  AND t.events_asn_known
