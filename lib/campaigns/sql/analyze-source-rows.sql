-- Statistics of the rollup rows read, so the profiles' aggregates join the totals by hash and not
-- once per source (temporary tables are never analysed by autovacuum).
ANALYZE campaign_work_rows
