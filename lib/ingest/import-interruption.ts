import { auditImport } from '@/lib/datasets/import-audit'
import { getPool } from '@/lib/db/database'

/** Said by an import cut off from the database: nothing of it was stored. */
export const CONNECTION_LOST = 'interrupted: the connection to the database was lost (it stopped or restarted) before the import finished; nothing of it was stored'

const RETRY_MS = 2000
const GIVE_UP_AFTER_MS = 15 * 60_000

/** Waits until the database answers again (true), or gives up after 15 minutes (false). */
export async function databaseReachable(): Promise<boolean> {
  const deadline = Date.now() + GIVE_UP_AFTER_MS
  for (;;) {
    try {
      await (await getPool()).query('SELECT 1')
      return true
    } catch {
      if (Date.now() > deadline) return false
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref())
    }
  }
}

/**
 * An import whose own failure could not be recorded (the database was gone): recorded as soon as
 * the database answers, so the job says why it failed instead of "running" with an ETA until
 * the next sweep.
 */
export function failImportWhenReachable(jobId: number, reason: string): void {
  void (async () => {
    if (!(await databaseReachable())) return
    const pool = await getPool()
    const { rows } = await pool.query<{ detected_format: string | null; bytes: string; rows_read: number; rows_rejected: number }>(
      `UPDATE import_jobs SET status = 'failed', finished_at = clock_timestamp(), heartbeat_at = clock_timestamp(), error = $2, rows_inserted = 0, rows_duplicate = 0
        WHERE id = $1 AND status IN ('running', 'queued')
        RETURNING detected_format, bytes, rows_read, rows_rejected`,
      [jobId, reason],
    )
    const job = rows[0]
    if (job) {
      await auditImport(pool, jobId, { status: 'failed', format: job.detected_format, bytes: Number(job.bytes), rowsRead: job.rows_read, rowsInserted: 0, rowsDuplicate: 0, rowsRejected: job.rows_rejected, error: reason })
    }
  })().catch((error: Error) => console.error(`[imports] could not record the failure of import ${jobId}: ${error.message}`))
}
