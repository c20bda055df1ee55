-- The source IPs a recompute looks at, for the detectors to join (filled by fill-scope.sql), and
-- every address with a sign-in in its time range (derive_touched, for the escalations' failure
-- share of neighbour addresses). Dropped when the recompute's transaction ends.
CREATE TEMP TABLE derive_scope (ip_address inet PRIMARY KEY) ON COMMIT DROP;
CREATE TEMP TABLE derive_touched (ip_address inet PRIMARY KEY) ON COMMIT DROP
