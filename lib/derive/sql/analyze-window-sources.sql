-- The sliding windows' plan joins derive_window_sources: without statistics a temporary table counts as large.
ANALYZE derive_window_sources
