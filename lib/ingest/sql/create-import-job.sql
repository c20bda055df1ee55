-- A new running import job. $1 dataset id, $2 file name, $3 origin, $4 who started it (null: nobody)
INSERT INTO import_jobs (dataset_id, file_name, origin, status, started_at, heartbeat_at, started_by_id)
VALUES ($1, $2, $3, 'running', now(), now(), $4)
RETURNING id
