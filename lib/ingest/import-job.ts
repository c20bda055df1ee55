import type { ClientBase } from 'pg'
import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'

/**
 * The life of an import job (import_jobs): created (or taken over from a queued upload or
 * connector slice), progress and heartbeat while it runs, its report committed with its events,
 * or its failure after a rollback. The one owner of that life, for the CLI, uploads, connectors
 * and the demo alike: ./pipeline.ts drives it, nothing else writes a job's outcome.
 */

export type ImportOrigin = 'cli' | 'upload' | 'connector' | 'demo'

export interface ImportProgress {
  jobId: number
  bytesRead: number
  rowsRead: number
  rowsProcessed: number
  rowsRejected: number
  rowsSkipped: number
}

export interface Rejection {
  recordNumber: number
  reason: string
  excerpt: string
}

export interface ImportReport {
  jobId: number
  fileName: string
  format: string | null
  formatLabel: string | null
  status: 'succeeded' | 'failed' | 'not_applicable'
  error: string | null
  bytes: number
  contentSha256: string | null
  rowsRead: number
  rowsInserted: number
  rowsDuplicate: number
  rowsRejected: number
  rowsSkipped: number
  minEventTime: Date | null
  maxEventTime: Date | null
  durationMs: number
  /** The first rejections (all are stored up to maxRejectedStored). */
  rejections: Rejection[]
}

/** A running import whose heartbeat is older than this was interrupted (its process died). */
const STALE_AFTER_SECONDS = 120
const PROGRESS_INTERVAL_MS = 500

/**
 * How often the job row gets the progress and heartbeat: every 5 s, and less often as an import
 * runs on (at most a minute apart, well within the 120 s after which an import counts as dead).
 * Each write leaves a row version that the import's own open transaction keeps from being
 * cleaned up, and the foreign-key check of every event copied walks them all: at 500 ms a long
 * import spent more time there than on the events themselves.
 */
function progressWriteInterval(elapsedMs: number): number {
  return Math.min(60_000, Math.max(5_000, elapsedMs / 20))
}

export function emptyReport(jobId: number, fileName: string): ImportReport {
  return {
    jobId,
    fileName,
    format: null,
    formatLabel: null,
    status: 'succeeded',
    error: null,
    bytes: 0,
    contentSha256: null,
    rowsRead: 0,
    rowsInserted: 0,
    rowsDuplicate: 0,
    rowsRejected: 0,
    rowsSkipped: 0,
    minEventTime: null,
    maxEventTime: null,
    durationMs: 0,
    rejections: [],
  }
}

/**
 * Creates the job, or marks the queued one (an upload, a connector slice) as running. In SQL
 * rather than through Prisma: the CLI's import path then never loads Prisma's query compiler
 * (~50 MB of the importing process's memory).
 */
export async function openImportJob(input: {
  datasetId: number
  fileName: string
  origin?: ImportOrigin
  jobId?: number
  startedById?: number | null
}): Promise<{ id: number }> {
  const pool = await getPool()
  const { rows } = input.jobId
    ? await pool.query<{ id: number }>(sqlFile('ingest/sql/start-import-job.sql'), [input.jobId])
    : await pool.query<{ id: number }>(sqlFile('ingest/sql/create-import-job.sql'), [input.datasetId, input.fileName, input.origin ?? 'cli', input.startedById ?? null])
  if (!rows[0]) throw new Error(`import job ${input.jobId} does not exist`)
  return rows[0]
}

/**
 * Reports progress to the caller every 500 ms and writes it with the heartbeat to the job row
 * (on a connection of its own, one write at a time: a slow database must not pile them up).
 */
export class ProgressWriter {
  private readonly started = Date.now()
  private lastWrite = Date.now()
  private write: Promise<unknown> = Promise.resolve()
  private readonly timer: NodeJS.Timeout

  constructor(progress: () => ImportProgress, onProgress?: (progress: ImportProgress) => void) {
    this.timer = setInterval(() => {
      const p = progress()
      onProgress?.(p)
      if (Date.now() - this.lastWrite < progressWriteInterval(Date.now() - this.started)) return
      this.lastWrite = Date.now()
      this.write = this.write.then(async () =>
        (await getPool()).query(sqlFile('ingest/sql/import-progress.sql'), [p.jobId, p.bytesRead, p.rowsRead, p.rowsRejected, p.rowsSkipped]).catch(() => {}),
      )
    }, PROGRESS_INTERVAL_MS)
  }

  /** Stops reporting; resolves when the last write is done (before the job's outcome is written). */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    await this.write
  }
}

/** In the import's transaction, after its events: the rejected rows and the job's report. */
export async function finishImportJob(db: ClientBase, report: ImportReport, rejections: Rejection[]): Promise<void> {
  if (rejections.length) {
    await db.query(sqlFile('ingest/sql/insert-rejected-rows.sql'), [
      report.jobId,
      rejections.map((r) => r.recordNumber),
      rejections.map((r) => r.reason),
      rejections.map((r) => r.excerpt),
    ])
  }
  await db.query(sqlFile('ingest/sql/finish-import-job.sql'), [
    report.jobId,
    report.status,
    report.error,
    report.format,
    report.bytes,
    report.contentSha256,
    report.rowsRead,
    report.rowsInserted,
    report.rowsDuplicate,
    report.rowsRejected,
    report.rowsSkipped,
    report.minEventTime,
    report.maxEventTime,
  ])
}

/** After the import's transaction rolled back: nothing of it is stored, the job says why. */
export async function failImportJob(report: ImportReport): Promise<void> {
  const pool = await getPool()
  await pool.query(sqlFile('ingest/sql/fail-import-job.sql'), [
    report.jobId,
    report.status,
    report.error,
    report.format,
    report.bytes,
    report.rowsRead,
    report.rowsRejected,
    report.rowsSkipped,
  ])
}

/**
 * Marks imports whose process died (kill, crash, restart) as failed. Their transaction never
 * committed, so no event of theirs is stored; only the job row still says "running".
 */
export async function failInterruptedImports(): Promise<number> {
  const pool = await getPool()
  const result = await pool.query(sqlFile('ingest/sql/fail-interrupted-imports.sql'), [STALE_AFTER_SECONDS])
  return result.rowCount ?? 0
}
