import { existsSync, readFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { getPool, getPrisma } from '@/lib/db/database'
import { importProgress } from '@/lib/uploads/import-progress'
import { resumeUploadedImports, startUploadedImport } from '@/lib/uploads/upload-ingest'
import { createUpload, receiveChunk } from '@/lib/uploads/upload-store'
import { formatSamplesDir } from '../helpers/paths'
import { useTestDatabase } from '../helpers/test-database'

// Browser uploads without the browser: chunks to disk at the expected offsets, refusal of what
// is not a sign-in log after the first chunk, limits, and the background import.
useTestDatabase()
process.env.ET_UPLOAD_DIR = mkdtempSync(path.join(os.tmpdir(), 'et-uploads-'))

let analyst: Actor
let other: Actor
const portalCsv = readFileSync(path.join(formatSamplesDir, 'portal-csv', 'InteractiveSignIns_2026-02-17_2026-02-17.csv'))

beforeAll(async () => {
  analyst = { user: await createUser({ email: 'analyst@example.com', role: 'analyst', password: 'analyst-password-1' }), via: 'session' }
  other = { user: await createUser({ email: 'other@example.com', role: 'analyst', password: 'other-password-12' }), via: 'session' }
})

async function finished(jobId: number) {
  for (let i = 0; i < 200; i++) {
    const progress = await importProgress(jobId)
    if (progress && ['succeeded', 'failed', 'not_applicable'].includes(progress.status)) return progress
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the import did not finish')
}

describe('uploads', () => {
  it('takes a file in chunks at the expected offsets, then imports it in the background', async () => {
    const upload = await createUpload({ dataset: 'uploaded', fileName: 'InteractiveSignIns_2026-02-17_2026-02-17.csv', size: portalCsv.length }, analyst)
    const cut = 20_000
    await expect(receiveChunk(upload.jobId, 5, Readable.from([portalCsv.subarray(0, cut)]), analyst)).rejects.toMatchObject({ status: 409 })
    await expect(receiveChunk(upload.jobId, 0, Readable.from([portalCsv.subarray(0, cut)]), other)).rejects.toMatchObject({ status: 403 })
    expect((await receiveChunk(upload.jobId, 0, Readable.from([portalCsv.subarray(0, cut)]), analyst)).received).toBe(cut)
    // A retried chunk (the response was lost) is refused at the wrong offset; the client asks and resumes.
    await expect(receiveChunk(upload.jobId, 0, Readable.from([portalCsv.subarray(0, cut)]), analyst)).rejects.toMatchObject({ status: 409 })
    const done = await receiveChunk(upload.jobId, cut, Readable.from([portalCsv.subarray(cut)]), analyst)
    expect(done.received).toBe(portalCsv.length)
    const report = await finished(upload.jobId)
    expect(report).toMatchObject({ status: 'succeeded', format: 'portal-csv', rowsRead: 72, rowsInserted: 72, rowsRejected: 0, uploadReceived: portalCsv.length })
    const prisma = await getPrisma()
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: upload.jobId } })
    expect(job.startedById).toBe(analyst.user.id)
    expect(job.uploadPath).toBeNull() // the stored upload is removed after the import
  })

  it('refuses a file that is not a sign-in log after its first chunk, and deletes what arrived', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.alloc(5000, 7)])
    const upload = await createUpload({ dataset: 'uploaded', fileName: 'holiday.png', size: png.length * 100 }, analyst)
    await expect(receiveChunk(upload.jobId, 0, Readable.from([png]), analyst)).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/holiday\.png: .*binary/) })
    const job = await (await getPrisma()).importJob.findUniqueOrThrow({ where: { id: upload.jobId } })
    expect(job.status).toBe('failed')
    expect(existsSync(job.uploadPath!)).toBe(false)
  })

  it('a refused file leaves no empty new dataset behind; a dataset with data stays', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.alloc(5000, 7)])
    const prisma = await getPrisma()
    const upload = await createUpload({ dataset: 'only-a-picture', fileName: 'holiday.png', size: png.length }, analyst)
    await expect(receiveChunk(upload.jobId, 0, Readable.from([png]), analyst)).rejects.toMatchObject({ status: 422 })
    expect(await prisma.dataset.findUnique({ where: { name: 'only-a-picture' } })).toBeNull()
    // The same refusal into the dataset of the first test, which holds sign-ins, keeps it.
    const kept = await createUpload({ dataset: 'uploaded', fileName: 'holiday2.png', size: png.length }, analyst)
    await expect(receiveChunk(kept.jobId, 0, Readable.from([png]), analyst)).rejects.toMatchObject({ status: 422 })
    expect(await prisma.dataset.findUnique({ where: { name: 'uploaded' } })).not.toBeNull()
  })

  it('refuses files over the limit, and chunks beyond the announced size', async () => {
    process.env.ET_UPLOAD_MAX_BYTES = '1000'
    try {
      await expect(createUpload({ dataset: 'uploaded', fileName: 'big.csv', size: 1001 }, analyst)).rejects.toMatchObject({ status: 413 })
    } finally {
      delete process.env.ET_UPLOAD_MAX_BYTES
    }
    const upload = await createUpload({ dataset: 'uploaded', fileName: 'small.csv', size: 10 }, analyst)
    await expect(receiveChunk(upload.jobId, 0, Readable.from([Buffer.alloc(11, 65)]), analyst)).rejects.toMatchObject({ status: 413 })
  })

  it('stops a decompression bomb at the decoded-size limit', async () => {
    const header = portalCsv.subarray(0, portalCsv.indexOf('\n') + 1)
    const row = portalCsv.subarray(header.length, portalCsv.indexOf('\n', header.length) + 1)
    const bomb = gzipSync(Buffer.concat([header, ...Array.from({ length: 20_000 }, () => row)]))
    process.env.ET_UPLOAD_MAX_DECODED_BYTES = String(2 * 1024 * 1024)
    try {
      const upload = await createUpload({ dataset: 'uploaded', fileName: 'signins.csv.gz', size: bomb.length }, analyst)
      await receiveChunk(upload.jobId, 0, Readable.from([bomb]), analyst)
      const report = await finished(upload.jobId)
      expect(report.status).toBe('failed')
      expect(report.error).toMatch(/exceeds the limit of 2097152 bytes after decompression/)
      expect(report.rowsInserted).toBe(0)
    } finally {
      delete process.env.ET_UPLOAD_MAX_DECODED_BYTES
    }
  })

  it('imports a fully uploaded file again after the server died mid-import', async () => {
    const upload = await createUpload({ dataset: 'resumed', fileName: 'InteractiveSignIns_2026-02-17_2026-02-17.csv', size: portalCsv.length }, analyst)
    const pool = await getPool()
    // Arrive complete, but as if the process died before importing: queued with an old heartbeat.
    await pool.query(`UPDATE import_jobs SET status = 'running' WHERE id = $1`, [upload.jobId])
    const { writeFile } = await import('node:fs/promises')
    const job = await (await getPrisma()).importJob.findUniqueOrThrow({ where: { id: upload.jobId } })
    await writeFile(job.uploadPath!, portalCsv)
    await pool.query(`UPDATE import_jobs SET upload_received = upload_size, heartbeat_at = now() - interval '10 minutes' WHERE id = $1`, [upload.jobId])
    expect(await resumeUploadedImports()).toBe(1)
    const report = await finished(upload.jobId)
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 72 })
    // Starting it again does nothing twice.
    await startUploadedImport(upload.jobId)
    expect((await importProgress(upload.jobId))?.rowsInserted).toBe(72)
  })
})
