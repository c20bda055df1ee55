SELECT DISTINCT source_a, source_b FROM campaign_work_edges
