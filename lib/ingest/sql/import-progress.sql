-- A running import's progress and heartbeat, written on a connection of its own so others see it.
-- $1 job id, $2 bytes, $3 rows read, $4 rejected, $5 skipped
UPDATE import_jobs SET bytes = $2, rows_read = $3, rows_rejected = $4, rows_skipped = $5, heartbeat_at = now() WHERE id = $1
