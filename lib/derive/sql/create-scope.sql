-- The source IPs a recompute looks at, for the detectors to join (filled by fill-scope.sql).
-- Dropped when the recompute's transaction ends.
CREATE TEMP TABLE derive_scope (ip_address inet PRIMARY KEY) ON COMMIT DROP
