-- The planner's idea of how many events are stored (as of the last ANALYZE or VACUUM).
SELECT greatest(reltuples, 0)::bigint AS rows FROM pg_class WHERE oid = 'sign_in_events'::regclass
