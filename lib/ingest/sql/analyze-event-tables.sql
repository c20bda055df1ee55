-- Statistics for the rows an import just loaded, inside its own transaction (ANALYZE samples the
-- transaction's own uncommitted rows), so that the findings refresh that follows is planned for
-- the tables as they now are.
ANALYZE sign_in_events, sign_in_hourly_rollup
