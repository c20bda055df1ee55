-- Temporary tables are never analysed by autovacuum; without statistics the planner guesses
-- a thousand rows and picks nested loops over sets of any size.
ANALYZE campaign_work_sources;
