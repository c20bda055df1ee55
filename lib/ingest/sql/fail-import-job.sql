-- After the import's transaction rolled back: nothing of it is stored, the job says why.
-- $1 job id, $2 status, $3 error, $4 detected format, $5 bytes, $6 rows read, $7 rejected, $8 skipped
UPDATE import_jobs
   SET status = $2::import_status, error = $3, detected_format = $4, bytes = $5, rows_read = $6, rows_inserted = 0,
       rows_duplicate = 0, rows_rejected = $7, rows_skipped = $8, finished_at = clock_timestamp(), heartbeat_at = clock_timestamp()
 WHERE id = $1
