-- The detectors' plans join derive_scope: without statistics a temporary table counts as large.
ANALYZE derive_scope
