-- Imports whose process died (kill, crash, restart): their transaction never committed, so no
-- event of theirs is stored; only the job row still says "running". $1 seconds without heartbeat
UPDATE import_jobs
   SET status = 'failed', finished_at = clock_timestamp(),
       error = 'interrupted: the importing process stopped before the import finished; nothing of it was stored, import the file again'
 WHERE status IN ('running', 'queued') AND coalesce(heartbeat_at, created_at) < now() - make_interval(secs => $1)
   -- a fully uploaded file is imported again instead (lib/uploads/upload-ingest.ts)
   AND NOT (origin = 'upload' AND upload_path IS NOT NULL AND upload_received = upload_size)
