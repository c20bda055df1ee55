import { getPool } from '@/lib/db/database'

/** A running import whose heartbeat is older than this was interrupted (its process died). */
const STALE_AFTER_SECONDS = 120

/**
 * Marks imports whose process died (kill, crash, restart) as failed. Their transaction never
 * committed, so no event of theirs is stored; only the job row still says "running".
 */
export async function failInterruptedImports(): Promise<number> {
  const pool = await getPool()
  const result = await pool.query(
    `UPDATE import_jobs
        SET status = 'failed', finished_at = now(),
            error = 'interrupted: the importing process stopped before the import finished; nothing of it was stored, import the file again'
      WHERE status IN ('running', 'queued') AND coalesce(heartbeat_at, created_at) < now() - make_interval(secs => $1)
        -- a fully uploaded file is imported again instead (lib/uploads/upload-ingest.ts)
        AND NOT (origin = 'upload' AND upload_path IS NOT NULL AND upload_received = upload_size)`,
    [STALE_AFTER_SECONDS],
  )
  return result.rowCount ?? 0
}
