import { mkdir, open, rm, statfs } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { recordAudit } from '@/lib/auth/audit'
import { getPrisma } from '@/lib/db/database'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { RequestError } from '@/lib/errors'
import { decodeInput } from '@/lib/ingest/byte-source'
import { looksLikeEnvelopeStart, openSignInLog } from '@/lib/ingest/open-log'
import { sqlFile } from '@/lib/sql-file'
import { IncompleteLogError, NotApplicableError, NotASignInLogError } from '@/lib/ingest/types'
import { dropDatasetIfNothingArrived } from './drop-empty-dataset'
import { startUploadedImport } from './upload-ingest'
import { CHUNK_BYTES, uploadLimits } from './upload-limits'

/**
 * Browser uploads arrive in chunks written straight to a file on disk (never whole in memory),
 * each at the offset the server expects, so a dropped connection resumes where it stopped.
 * The first chunk is sniffed: a file that is not a sign-in log is refused before the rest is
 * sent. When the last byte is in, the file goes through the ingest pipeline in the background.
 */

export const newUploadSchema = z.object({
  dataset: z.string().trim().min(1).max(200),
  fileName: z.string().trim().min(1).max(500),
  size: z.number().int().min(1),
})

export interface UploadState {
  jobId: number
  received: number
  size: number
  chunkBytes: number
}

function uploadPath(jobId: number): string {
  return path.join(uploadLimits().directory, `${jobId}.upload`)
}

async function freeBytes(directory: string): Promise<number> {
  const stats = await statfs(directory)
  return stats.bavail * stats.bsize
}

export async function createUpload(input: z.input<typeof newUploadSchema>, actor: Actor): Promise<UploadState> {
  const { dataset: datasetName, fileName, size } = newUploadSchema.parse(input)
  const limits = uploadLimits()
  if (size > limits.maxBytes) throw new RequestError(413, `${fileName} is ${size} bytes; uploads are limited to ${limits.maxBytes} bytes (ET_UPLOAD_MAX_BYTES)`)
  await mkdir(limits.directory, { recursive: true })
  const dataset = await findOrCreateDataset(datasetName)
  const prisma = await getPrisma()
  // The bytes announced by uploads still arriving are as good as written: the reserve counts
  // them. Creations take turns (a transaction-scoped lock), so concurrent announcements cannot
  // each see the same free space.
  const job = await prisma.$transaction(async (tx) => {
    await tx.$queryRawUnsafe(sqlFile('uploads/sql/lock-upload-reserve.sql'))
    const [{ pending }] = await tx.$queryRawUnsafe<{ pending: bigint }[]>(sqlFile('uploads/sql/pending-upload-bytes.sql'))
    const free = await freeBytes(limits.directory)
    const available = free - Number(pending)
    if (available - size < limits.reserveBytes) {
      throw new RequestError(
        413,
        `not enough disk space for ${fileName} (${size} bytes): ${free} bytes free, ${Number(pending)} of them promised to uploads in progress, and ${limits.reserveBytes} must remain (ET_UPLOAD_DISK_RESERVE_BYTES)`,
      )
    }
    const created = await tx.importJob.create({
      data: { datasetId: dataset.id, fileName: path.basename(fileName), origin: 'upload', status: 'uploading', uploadSize: size, startedById: actor.user.id, heartbeatAt: new Date() },
    })
    await recordAudit(tx, actor, 'upload.start', { type: 'import_job', id: created.id }, null, { datasetId: dataset.id, dataset: dataset.name, fileName: created.fileName, size })
    return created
  })
  const file = uploadPath(job.id)
  await prisma.importJob.update({ where: { id: job.id }, data: { uploadPath: file } })
  await (await open(file, 'w')).close()
  return { jobId: job.id, received: 0, size, chunkBytes: CHUNK_BYTES }
}

async function uploadingJob(jobId: number, actor: Actor) {
  const prisma = await getPrisma()
  const job = await prisma.importJob.findUnique({ where: { id: jobId } })
  if (!job || job.origin !== 'upload') throw new RequestError(404, `no upload ${jobId}`)
  if (job.startedById !== actor.user.id && actor.user.role !== 'admin') throw new RequestError(403, 'this upload belongs to someone else')
  return job
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** How much of a file's start the first-chunk check reads. */
const SNIFF_BYTES = 1024 * 1024

/**
 * Refuses what is not a sign-in log from its first bytes (a 2 GB PNG never fills the disk). A
 * head cut from a longer file is read up to its last line break; a first record longer than the
 * head (a JSON document whose first record passes 1 MiB, a huge first line) proves nothing.
 */
async function sniff(file: string, received: number, size: number, fileName: string): Promise<void> {
  const handle = await open(file, 'r')
  let head: Buffer
  try {
    const buffer = Buffer.alloc(Math.min(received, SNIFF_BYTES))
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    head = buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
  const cut = head.length < size
  const binary = head.subarray(0, 512).includes(0)
  if (cut && !binary && !(head[0] === 0x1f && head[1] === 0x8b)) {
    const text = head.toString('utf8', 0, Math.min(head.length, 4096)).trimStart()
    const newline = head.indexOf(0x0a)
    const document =
      text.startsWith('[') || (text.startsWith('{') && (newline === -1 ? looksLikeEnvelopeStart(text) : !isJson(head.toString('utf8', 0, newline).trim())))
    // A document is left whole: its reader says where the head cut it. Lines (CSV, JSON Lines)
    // are read up to the last complete one; with none complete, nothing can be told yet.
    if (!document) {
      const lastBreak = head.lastIndexOf(0x0a)
      if (lastBreak === -1) return
      head = head.subarray(0, lastBreak + 1)
    }
  }
  try {
    const decoded = await decodeInput((async function* () { yield head })())
    await openSignInLog(decoded, fileName)
  } catch (error) {
    if (cut && error instanceof IncompleteLogError) return
    if (error instanceof NotASignInLogError || error instanceof NotApplicableError) throw error
    // A truncated head (a gzip cut mid-stream, a CSV row cut in two) proves nothing either way.
  }
}

/** Jobs receiving a chunk in this process: a second PUT to one of them waits for nothing, it gets 409. */
const receiving = new Set<number>()

export async function receiveChunk(jobId: number, offset: number, body: Readable, actor: Actor): Promise<UploadState> {
  if (receiving.has(jobId)) throw new RequestError(409, `upload ${jobId} is already receiving a chunk; send the next one when it is stored`)
  receiving.add(jobId)
  try {
    return await receiveChunkAlone(jobId, offset, body, actor)
  } finally {
    receiving.delete(jobId)
  }
}

async function receiveChunkAlone(jobId: number, offset: number, body: Readable, actor: Actor): Promise<UploadState> {
  const job = await uploadingJob(jobId, actor)
  if (job.status !== 'uploading' || !job.uploadPath) throw new RequestError(409, `upload ${jobId} is ${job.status}, not receiving data`)
  const received = Number(job.uploadReceived)
  const size = Number(job.uploadSize)
  if (offset !== received) throw new RequestError(409, `expected the chunk at offset ${received}, got ${offset}`)
  const limits = uploadLimits()
  const handle = await open(job.uploadPath, 'r+')
  let written = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (received + written + chunk.length > size || written + chunk.length > limits.maxChunkBytes) {
        throw new RequestError(413, `more data than announced (${size} bytes) or a chunk larger than ${limits.maxChunkBytes} bytes`)
      }
      await handle.write(chunk, 0, chunk.length, received + written)
      written += chunk.length
    }
  } finally {
    await handle.close()
  }
  const prisma = await getPrisma()
  const now = received + written
  if (received === 0) {
    try {
      await sniff(job.uploadPath, now, size, job.fileName)
    } catch (error) {
      const notApplicable = error instanceof NotApplicableError
      await prisma.$transaction(async (tx) => {
        await tx.importJob.update({
          where: { id: jobId },
          data: { status: notApplicable ? 'not_applicable' : 'failed', error: (error as Error).message, finishedAt: new Date(), uploadReceived: now, bytes: now },
        })
        await recordAudit(tx, actor, 'upload.refused', { type: 'import_job', id: jobId }, null, { datasetId: job.datasetId, fileName: job.fileName, reason: (error as Error).message })
      })
      await rm(job.uploadPath, { force: true })
      await dropDatasetIfNothingArrived(job.datasetId)
      throw new RequestError(422, `${job.fileName}: ${(error as Error).message}`)
    }
  }
  const complete = now === size
  // Only from the offset this chunk was written at (another process may share the job table):
  // a count that moved meanwhile means the file is not what the count says.
  const moved = await prisma.importJob.updateMany({
    where: { id: jobId, uploadReceived: received, status: 'uploading' },
    data: { uploadReceived: now, heartbeatAt: new Date(), ...(complete ? { status: 'queued' } : {}) },
  })
  if (moved.count !== 1) throw new RequestError(409, `upload ${jobId} changed while this chunk was written; ask for the offset and resend`)
  if (complete) startUploadedImport(jobId)
  return { jobId, received: now, size, chunkBytes: CHUNK_BYTES }
}

/** Stops an upload: the file goes, the job says it was cancelled. */
export async function cancelUpload(jobId: number, actor: Actor): Promise<void> {
  const job = await uploadingJob(jobId, actor)
  if (job.status !== 'uploading') throw new RequestError(409, `upload ${jobId} is ${job.status}; only an upload still receiving data can be cancelled`)
  const prisma = await getPrisma()
  await prisma.$transaction(async (tx) => {
    await tx.importJob.update({ where: { id: jobId }, data: { status: 'failed', error: 'cancelled by the user', finishedAt: new Date() } })
    await recordAudit(tx, actor, 'upload.cancel', { type: 'import_job', id: jobId }, null, { datasetId: job.datasetId, fileName: job.fileName, received: Number(job.uploadReceived), size: Number(job.uploadSize) })
  })
  if (job.uploadPath) await rm(job.uploadPath, { force: true })
  await dropDatasetIfNothingArrived(job.datasetId)
}
