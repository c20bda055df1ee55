-- A queued job (an upload, a connector slice) starts running. $1 job id
UPDATE import_jobs SET status = 'running', started_at = now(), heartbeat_at = now() WHERE id = $1 RETURNING id
