-- In the import's transaction: the job's report. finished_at is the clock's time, not the
-- transaction's start (now()), so the job's duration is how long the import really took.
-- $1 job id, $2 status, $3 error, $4 detected format, $5 bytes, $6 content sha256,
-- $7-$11 rows read / inserted / duplicate / rejected / skipped, $12/$13 first/last event time
UPDATE import_jobs
   SET status = $2::import_status, error = $3, detected_format = $4, bytes = $5, content_sha256 = $6,
       rows_read = $7, rows_inserted = $8, rows_duplicate = $9, rows_rejected = $10, rows_skipped = $11,
       min_event_time = $12, max_event_time = $13, finished_at = clock_timestamp(), heartbeat_at = clock_timestamp()
 WHERE id = $1
