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
    // The stored upload is removed after the import (just after its job says succeeded).
    await expect.poll(async () => (await prisma.importJob.findUniqueOrThrow({ where: { id: upload.jobId } })).uploadPath).toBeNull()
    expect(job.startedById).toBe(analyst.user.id)
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

describe('upload hardening', () => {
  it('a missing or malformed Upload-Offset is a 400, not offset 0', async () => {
    const { parseUploadOffset } = await import('@/lib/uploads/upload-offset')
    for (const bad of [null, '', ' ', '-1', '1.5', 'abc', '1e3', '99999999999999999']) expect(() => parseUploadOffset(bad), String(bad)).toThrow(expect.objectContaining({ status: 400 }))
    expect(parseUploadOffset('0')).toBe(0)
    expect(parseUploadOffset(' 8388608 ')).toBe(8388608)
  })

  it('the disk reserve counts the bytes announced by uploads still arriving, also when they are announced at once', async () => {
    const { statfs } = await import('node:fs/promises')
    const stats = await statfs(process.env.ET_UPLOAD_DIR!)
    const free = stats.bavail * stats.bsize
    // Uploads of a twelfth of the free space each (at most the 4 GiB upload cap): the other test
    // files write to the same disk meanwhile, and half an upload to spare must outweigh that.
    const size = Math.max(100 * 1024 * 1024, Math.min(4 * 1024 ** 3, Math.floor(free / 12)))
    // Room for exactly ten such uploads (with half of one to spare for the disk moving meanwhile).
    process.env.ET_UPLOAD_DISK_RESERVE_BYTES = String(free - Math.round(10.5 * size))
    const pending = await getPool().then((pool) => pool.query<{ pending: string }>(`SELECT coalesce(sum(upload_size - upload_received), 0) AS pending FROM import_jobs WHERE status = 'uploading'`))
    expect(Number(pending.rows[0].pending)).toBeLessThan(size / 2)
    try {
      await createUpload({ dataset: 'reserve', fileName: 'first.csv', size: 1 }, analyst).then((u) => import('@/lib/uploads/upload-store').then((m) => m.cancelUpload(u.jobId, analyst)))
      const results = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => createUpload({ dataset: 'reserve', fileName: `big-${i}.csv`, size }, analyst)))
      const accepted = results.filter((r) => r.status === 'fulfilled')
      expect(accepted).toHaveLength(10)
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 413, message: expect.stringMatching(/promised to uploads in progress/) })
      const { cancelUpload } = await import('@/lib/uploads/upload-store')
      for (const r of accepted) await cancelUpload((r as PromiseFulfilledResult<{ jobId: number }>).value.jobId, analyst)
    } finally {
      delete process.env.ET_UPLOAD_DISK_RESERVE_BYTES
    }
  })

  it('two chunks sent to one job at once: the second gets 409 and the file is exactly the first', async () => {
    const upload = await createUpload({ dataset: 'uploaded', fileName: 'InteractiveSignIns_concurrent.csv', size: portalCsv.length }, analyst)
    const cut = 30_000
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    async function* slow() {
      yield portalCsv.subarray(0, 10_000)
      await gate
      yield portalCsv.subarray(10_000, cut)
    }
    const first = receiveChunk(upload.jobId, 0, Readable.from(slow()), analyst)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await expect(receiveChunk(upload.jobId, 0, Readable.from([Buffer.alloc(cut, 0x41)]), analyst)).rejects.toMatchObject({ status: 409 })
    release()
    expect((await first).received).toBe(cut)
    await receiveChunk(upload.jobId, cut, Readable.from([portalCsv.subarray(cut)]), analyst)
    const report = await finished(upload.jobId)
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 0, rowsDuplicate: 72, uploadReceived: portalCsv.length })
  })

  it('a job whose file holds fewer bytes than announced fails, saying so; it never says succeeded', async () => {
    const upload = await createUpload({ dataset: 'uploaded', fileName: 'cut.csv', size: portalCsv.length }, analyst)
    const job = await (await getPrisma()).importJob.findUniqueOrThrow({ where: { id: upload.jobId } })
    const { writeFile } = await import('node:fs/promises')
    await writeFile(job.uploadPath!, portalCsv.subarray(0, 5000))
    // The count says complete (as an interleaved write could leave it), the file does not.
    const pool = await getPool()
    await pool.query(`UPDATE import_jobs SET upload_received = upload_size, status = 'queued' WHERE id = $1`, [upload.jobId])
    await startUploadedImport(upload.jobId)
    const report = await finished(upload.jobId)
    expect(report.status).toBe('failed')
    expect(report.error).toBe(`the upload is incomplete: 5000 bytes on disk, ${portalCsv.length} received, ${portalCsv.length} announced`)
  })

  it('takes a valid JSON whose first record is larger than the first-chunk check reads', async () => {
    const big = { id: 'big-1', createdDateTime: '2026-03-02T10:00:00Z', userPrincipalName: 'big@contoso.com', ipAddress: '203.0.113.45', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0', status: { errorCode: 50034 }, conditionalAccessPolicies: Array.from({ length: 16000 }, (_, i) => ({ id: `policy-${i}`, displayName: `Require MFA for group ${i}`, result: 'notApplied' })) }
    const small = { ...big, id: 'small-2', conditionalAccessPolicies: [] }
    for (const [name, content] of [
      ['signins.json', Buffer.from(JSON.stringify([big, small], null, 2))],
      ['page.json', Buffer.from(JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', value: [big, small] }))],
      ['signins.ndjson', Buffer.from(`${JSON.stringify(big)}\n${JSON.stringify(small)}\n`)],
    ] as const) {
      expect(JSON.stringify(big).length).toBeGreaterThan(1024 * 1024)
      const upload = await createUpload({ dataset: `big-first-${name}`, fileName: name, size: content.length }, analyst)
      const first = 2 * 1024 * 1024 > content.length ? content.length - 100 : 2 * 1024 * 1024
      await receiveChunk(upload.jobId, 0, Readable.from([content.subarray(0, first)]), analyst)
      await receiveChunk(upload.jobId, first, Readable.from([content.subarray(first)]), analyst)
      const report = await finished(upload.jobId)
      expect(report, name).toMatchObject({ status: 'succeeded', rowsInserted: 2 })
    }
  })
})

describe('audit trail of uploads and imports', () => {
  it('records who uploaded what into which dataset, and what came of it; refusals and cancellations too', async () => {
    const { auditTrail } = await import('@/lib/auth/audit')
    const upload = await createUpload({ dataset: 'audited', fileName: 'InteractiveSignIns_audited.csv', size: portalCsv.length }, analyst)
    await receiveChunk(upload.jobId, 0, Readable.from([portalCsv]), analyst)
    await finished(upload.jobId)
    const trail = await auditTrail('import_job', upload.jobId)
    expect(trail.map((e) => [e.action, e.actorLabel, e.actorId])).toEqual([
      ['upload.start', 'analyst@example.com', analyst.user.id],
      ['import.succeeded', 'analyst@example.com', analyst.user.id],
    ])
    expect(trail[0].after).toMatchObject({ dataset: 'audited', fileName: 'InteractiveSignIns_audited.csv', size: portalCsv.length })
    expect(trail[1].after).toMatchObject({ dataset: 'audited', fileName: 'InteractiveSignIns_audited.csv', origin: 'upload', status: 'succeeded', format: 'portal-csv', rowsRead: 72, rowsInserted: 72 })

    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.alloc(5000, 7)])
    const refused = await createUpload({ dataset: 'audited', fileName: 'holiday.png', size: png.length }, analyst)
    await expect(receiveChunk(refused.jobId, 0, Readable.from([png]), analyst)).rejects.toMatchObject({ status: 422 })
    expect((await auditTrail('import_job', refused.jobId)).map((e) => e.action)).toEqual(['upload.start', 'upload.refused'])

    const { cancelUpload } = await import('@/lib/uploads/upload-store')
    const cancelled = await createUpload({ dataset: 'audited', fileName: 'later.csv', size: 1000 }, analyst)
    await cancelUpload(cancelled.jobId, analyst)
    expect((await auditTrail('import_job', cancelled.jobId)).map((e) => e.action)).toEqual(['upload.start', 'upload.cancel'])
  })

  it('a command-line import is audited with its origin, a failed one with its reason', async () => {
    const { auditTrail } = await import('@/lib/auth/audit')
    const { ingestContent } = await import('../helpers/ingest')
    const ok = await ingestContent('audited-cli', 'InteractiveSignIns_cli.csv', portalCsv)
    const failed = await ingestContent('audited-cli', 'notes.txt', 'hello, this is not a log\n')
    const [okEntry] = await auditTrail('import_job', ok.jobId)
    expect(okEntry).toMatchObject({ action: 'import.succeeded', actorLabel: 'cli', actorId: null, after: { dataset: 'audited-cli', fileName: 'InteractiveSignIns_cli.csv', rowsInserted: 72 } })
    const [failedEntry] = await auditTrail('import_job', failed.jobId)
    expect(failedEntry).toMatchObject({ action: 'import.failed', after: { status: 'failed', fileName: 'notes.txt', error: expect.stringMatching(/not a sign-in log/) } })
  })
})
