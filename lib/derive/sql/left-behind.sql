-- Datasets whose recompute nobody is running, for the app server to run (lib/connectors/scheduler.ts):
--   - pending since their last import more than $1 seconds ago. Whoever imports recomputes right
--     after (the CLI, an upload batch, a connector run), unless told not to (`cli ingest
--     --no-wait`) or its process ended first; a multi-file import marks the dataset at each file,
--     so one still importing is never this old;
--   - "running" for more than $1 seconds while no session holds or waits for the dataset's lock
--     (lib/datasets/dataset-lock.ts): a recompute takes it right after it marks the dataset
--     running and keeps it until it commits, so this one's process died (a CLI stopped with
--     Ctrl-C during its recompute).
-- $1 seconds int, $2 the dataset lock's class int
SELECT s.dataset_id
FROM dataset_derived_state s
WHERE (s.status = 'pending' AND s.requested_at < clock_timestamp() - make_interval(secs => $1::int))
   OR (s.status = 'running' AND s.started_at < clock_timestamp() - make_interval(secs => $1::int)
       AND NOT EXISTS (SELECT 1 FROM pg_locks l
                       WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                         AND l.classid = $2::int::oid AND l.objid = s.dataset_id::oid AND l.objsubid = 2))
ORDER BY s.dataset_id
