-- Whether what the last addition to the campaign source totals of dataset $1 brought
-- (campaign_source_delta, add-source-totals.sql) can change its campaigns. A campaign is a
-- function of the sources that take part (those that mostly fail), each one's own totals, rollup
-- rows and events (profile, cadence, failure times), and the ASN of its address's events. So it
-- can change only through a source that takes part now or did before the addition, when the
-- addition brought events of that source itself, or brought events to its address and its ASN was
-- not kept (forget-source-measures.sql keeps it when they carry the same one). An hour of people
-- signing in reaches none: the recompute leaves the campaigns as they are (refresh-campaigns.ts).
-- $1 dataset id               int
-- $2 minimum failure share    float8
WITH reached AS MATERIALIZED (
    SELECT DISTINCT ip_address FROM campaign_source_delta
)
SELECT EXISTS (
    SELECT 1
    FROM reached r
    JOIN campaign_source_totals t ON t.dataset_id = $1::int AND t.ip_address = r.ip_address
    LEFT JOIN campaign_source_delta d ON d.key_hash = t.key_hash
    WHERE (d.key_hash IS NOT NULL OR NOT t.events_asn_known)
      AND (t.failed > $2::float8 * t.attempts
           OR t.failed - coalesce(d.failed, 0) > $2::float8 * (t.attempts - coalesce(d.attempts, 0)))
) AS reaches
