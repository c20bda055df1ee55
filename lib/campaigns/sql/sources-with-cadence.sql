-- The sources with a steady cadence, to be banded (cadence-bands.ts).
SELECT id, network::text AS network, autonomous_system, cadence_seconds
FROM campaign_work_sources
WHERE cadence_seconds IS NOT NULL
