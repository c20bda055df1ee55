-- $1 source ids int[], $2 band within its network int[], $3 band within its AS int[] (NULL: no AS)
UPDATE campaign_work_sources s
   SET network_band = b.network_band, asn_band = b.asn_band
  FROM unnest($1::int[], $2::int[], $3::int[]) AS b(id, network_band, asn_band)
 WHERE s.id = b.id
