import { createReadStream, existsSync } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import { getPool, getPrisma } from '@/lib/db/database'
import { scheduleRecompute } from '@/lib/derive/recompute-scheduler'
import { CONNECTION_LOST, databaseReachable } from '@/lib/ingest/import-interruption'
import { ingest, type ImportReport } from '@/lib/ingest/pipeline'
import { dropDatasetIfNothingArrived } from './drop-empty-dataset'
import { uploadLimits } from './upload-limits'

/**
 * Imports a fully uploaded file from disk, in the background of the app server: the analyst can
 * leave the page. The file is removed when the import has finished (either way); if the server
 * stops mid-import, the transaction rolls back and resumeUploadedImports starts it again.
 */
const running = new Set<number>()

export function startUploadedImport(jobId: number): Promise<void> {
  if (running.has(jobId)) return Promise.resolve()
  running.add(jobId)
  return importUpload(jobId)
    .catch((error: Error) => console.error(`[uploads] import ${jobId}: ${error.message}`))
    .then(() => dropDatasetIfImportFailed(jobId))
    .catch((error: Error) => console.error(`[uploads] after import ${jobId}: ${error.message}`))
    .finally(() => running.delete(jobId))
}

/** An import that failed into a dataset its upload created, where nothing else arrived, takes that empty dataset away. */
async function dropDatasetIfImportFailed(jobId: number): Promise<void> {
  const prisma = await getPrisma()
  const job = await prisma.importJob.findUnique({ where: { id: jobId }, select: { status: true, datasetId: true } })
  if (job && (job.status === 'failed' || job.status === 'not_applicable')) await dropDatasetIfNothingArrived(job.datasetId)
}

async function importUpload(jobId: number): Promise<void> {
  const prisma = await getPrisma()
  const job = await prisma.importJob.findUnique({ where: { id: jobId } })
  if (!job?.uploadPath || !existsSync(job.uploadPath)) return
  // Only a file holding every announced byte is imported: an import of less would say
  // "succeeded" over a cut file.
  const onDisk = (await stat(job.uploadPath)).size
  const announced = Number(job.uploadSize ?? -1)
  if (onDisk !== announced || Number(job.uploadReceived) !== announced) {
    await prisma.importJob.update({
      where: { id: jobId },
      data: { status: 'failed', error: `the upload is incomplete: ${onDisk} bytes on disk, ${Number(job.uploadReceived)} received, ${announced} announced`, finishedAt: new Date(), uploadPath: null },
    })
    await rm(job.uploadPath, { force: true })
    return
  }
  const limits = uploadLimits()
  const stream = createReadStream(job.uploadPath, { highWaterMark: 1024 * 1024 })
  let report: ImportReport
  try {
    report = await ingest({
      datasetId: job.datasetId,
      fileName: job.fileName,
      source: stream,
      origin: 'upload',
      jobId,
      maxDecodedBytes: limits.maxDecodedBytes,
      maxExpansionRatio: limits.maxExpansionRatio,
    })
  } finally {
    stream.destroy()
    // Once the batch's last file is in (files still uploading or queued hold it back).
    scheduleRecompute(job.datasetId)
  }
  if (report.error === CONNECTION_LOST) {
    // The file is all here: import it again when the database is back.
    resumeWhenDatabaseReturns(jobId)
    return
  }
  await rm(job.uploadPath, { force: true })
  await prisma.importJob.update({ where: { id: jobId }, data: { uploadPath: null } })
}

const MAX_RESUMES = 3
const resumes = new Map<number, number>()

/** An upload whose import lost the database (it restarted) is imported again once it answers. */
function resumeWhenDatabaseReturns(jobId: number): void {
  const count = (resumes.get(jobId) ?? 0) + 1
  resumes.set(jobId, count)
  if (count > MAX_RESUMES) return
  void (async () => {
    if (!(await databaseReachable())) return
    const pool = await getPool()
    // started_at cleared: the failed attempt's pending "failed" mark (failImportWhenReachable) no longer matches.
    const { rowCount } = await pool.query(
      `UPDATE import_jobs SET status = 'queued', started_at = NULL, finished_at = NULL, heartbeat_at = now()
        WHERE id = $1 AND upload_path IS NOT NULL AND upload_received = upload_size`,
      [jobId],
    )
    if (rowCount) {
      console.log(`[uploads] import ${jobId}: the database is back; importing the file again`)
      // After startUploadedImport's own bookkeeping for the attempt that failed.
      setImmediate(() => void startUploadedImport(jobId))
    }
  })().catch((error: Error) => console.error(`[uploads] import ${jobId} could not be resumed: ${error.message}`))
}

/**
 * After a restart: uploads that had fully arrived but whose import died are imported again
 * (nothing of the failed attempt was stored); uploads abandoned half-way for a day are dropped.
 */
export async function resumeUploadedImports(): Promise<number> {
  const pool = await getPool()
  const { rows } = await pool.query<{ id: number }>(
    `UPDATE import_jobs SET status = 'queued', heartbeat_at = now(), error = NULL
      WHERE origin = 'upload' AND upload_path IS NOT NULL AND upload_received = upload_size
        AND status IN ('queued', 'running') AND coalesce(heartbeat_at, created_at) < now() - interval '2 minutes'
      RETURNING id`,
  )
  for (const { id } of rows) void startUploadedImport(id)
  const abandoned = await pool.query<{ upload_path: string }>(
    `UPDATE import_jobs SET status = 'failed', finished_at = now(), error = 'upload abandoned: no data arrived for 24 hours'
      WHERE status = 'uploading' AND coalesce(heartbeat_at, created_at) < now() - interval '24 hours'
      RETURNING upload_path`,
  )
  for (const row of abandoned.rows) if (row.upload_path) await rm(row.upload_path, { force: true })
  return rows.length
}
