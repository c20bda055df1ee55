-- Statistics for the event tables after an import committed (lib/ingest/table-statistics.ts:
-- when the dataset is new or has doubled), so that the recompute that follows is planned for the
-- tables as they now are.
ANALYZE sign_in_events, sign_in_hourly_rollup
