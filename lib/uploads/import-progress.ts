import { getPrisma } from '@/lib/db/database'
import { listRejectedRows, type RejectedRowSummary } from '@/lib/datasets/list-datasets'

/**
 * How an import is doing, for the upload page's live progress (any import: upload, CLI or
 * connector): bytes received and read, rows, a rate and an estimate of the time left.
 */
export interface ImportProgress {
  jobId: number
  datasetId: number
  fileName: string
  status: string
  error: string | null
  format: string | null
  uploadSize: number | null
  uploadReceived: number
  bytesRead: number
  rowsRead: number
  rowsInserted: number
  rowsDuplicate: number
  rowsRejected: number
  rowsSkipped: number
  rowsPerSecond: number | null
  etaSeconds: number | null
  startedAt: string | null
  finishedAt: string | null
  rejections: RejectedRowSummary[]
}

export async function importProgress(jobId: number): Promise<ImportProgress | null> {
  const prisma = await getPrisma()
  const job = await prisma.importJob.findUnique({ where: { id: jobId } })
  if (!job) return null
  const finished = job.finishedAt !== null
  const elapsed = job.startedAt ? ((job.finishedAt ?? new Date()).getTime() - job.startedAt.getTime()) / 1000 : 0
  const bytesRead = Number(job.bytes)
  const total = job.uploadSize !== null ? Number(job.uploadSize) : null
  const rate = elapsed > 1 ? job.rowsRead / elapsed : null
  // Time left from how fast the file's bytes are being read so far.
  const eta = !finished && total && bytesRead > 0 && elapsed > 1 ? Math.max(0, ((total - bytesRead) * elapsed) / bytesRead) : null
  return {
    jobId: job.id,
    datasetId: job.datasetId,
    fileName: job.fileName,
    status: job.status,
    error: job.error,
    format: job.detectedFormat,
    uploadSize: total,
    uploadReceived: Number(job.uploadReceived),
    bytesRead,
    rowsRead: job.rowsRead,
    rowsInserted: job.rowsInserted,
    rowsDuplicate: job.rowsDuplicate,
    rowsRejected: job.rowsRejected,
    rowsSkipped: job.rowsSkipped,
    rowsPerSecond: rate === null ? null : Math.round(rate),
    etaSeconds: eta === null ? null : Math.round(eta),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    rejections: finished && job.rowsRejected > 0 ? await listRejectedRows(job.id, 50) : [],
  }
}
