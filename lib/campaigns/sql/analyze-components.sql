-- The components were just written: without fresh statistics the planner believes every
-- source is still outside one (component IS NULL) and nests loops over all of them.
ANALYZE campaign_work_sources;
ANALYZE campaign_work_edges;
