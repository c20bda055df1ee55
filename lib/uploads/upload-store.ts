import { createReadStream } from 'node:fs'
import { mkdir, open, rm, statfs } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { getPrisma } from '@/lib/db/database'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { RequestError } from '@/lib/errors'
import { decodeInput } from '@/lib/ingest/byte-source'
import { openSignInLog } from '@/lib/ingest/open-log'
import { NotApplicableError, NotASignInLogError } from '@/lib/ingest/types'
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
  const free = await freeBytes(limits.directory)
  if (free - size < limits.reserveBytes) throw new RequestError(413, `not enough disk space for ${fileName}: ${free} bytes free, ${limits.reserveBytes} must remain`)
  const dataset = await findOrCreateDataset(datasetName)
  const prisma = await getPrisma()
  const job = await prisma.importJob.create({
    data: { datasetId: dataset.id, fileName: path.basename(fileName), origin: 'upload', status: 'uploading', uploadSize: size, startedById: actor.user.id, heartbeatAt: new Date() },
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

/** Refuses what is not a sign-in log from its first bytes (a 2 GB PNG never fills the disk). */
async function sniff(file: string, received: number, fileName: string): Promise<void> {
  const head = createReadStream(file, { start: 0, end: Math.min(received, 1024 * 1024) - 1 })
  try {
    const decoded = await decodeInput(head)
    await openSignInLog(decoded, fileName)
  } catch (error) {
    if (error instanceof NotASignInLogError || error instanceof NotApplicableError) throw error
    // A truncated head (a gzip cut mid-stream, a CSV row cut in two) proves nothing either way.
  } finally {
    head.destroy()
  }
}

export async function receiveChunk(jobId: number, offset: number, body: Readable, actor: Actor): Promise<UploadState> {
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
      await sniff(job.uploadPath, now, job.fileName)
    } catch (error) {
      const notApplicable = error instanceof NotApplicableError
      await prisma.importJob.update({
        where: { id: jobId },
        data: { status: notApplicable ? 'not_applicable' : 'failed', error: (error as Error).message, finishedAt: new Date(), uploadReceived: now, bytes: now },
      })
      await rm(job.uploadPath, { force: true })
      await dropDatasetIfNothingArrived(job.datasetId)
      throw new RequestError(422, `${job.fileName}: ${(error as Error).message}`)
    }
  }
  const complete = now === size
  await prisma.importJob.update({ where: { id: jobId }, data: { uploadReceived: now, heartbeatAt: new Date(), ...(complete ? { status: 'queued' } : {}) } })
  if (complete) startUploadedImport(jobId)
  return { jobId, received: now, size, chunkBytes: CHUNK_BYTES }
}

/** Stops an upload: the file goes, the job says it was cancelled. */
export async function cancelUpload(jobId: number, actor: Actor): Promise<void> {
  const job = await uploadingJob(jobId, actor)
  if (job.status !== 'uploading') throw new RequestError(409, `upload ${jobId} is ${job.status}; only an upload still receiving data can be cancelled`)
  const prisma = await getPrisma()
  await prisma.importJob.update({ where: { id: jobId }, data: { status: 'failed', error: 'cancelled by the user', finishedAt: new Date() } })
  if (job.uploadPath) await rm(job.uploadPath, { force: true })
  await dropDatasetIfNothingArrived(job.datasetId)
}
