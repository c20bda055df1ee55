import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { closeDatabase, getPool } from '@/lib/db/database'
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres'
import { superviseEmbeddedPostgres, type Supervisor } from '@/lib/db/embedded-supervisor'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { checkHealth } from '@/lib/health/health'
import { databaseGate } from '@/lib/http/database-gate'
import { ingest } from '@/lib/ingest/pipeline'
import { importProgress } from '@/lib/uploads/import-progress'
import { createUpload, receiveChunk } from '@/lib/uploads/upload-store'

// `npm start`'s embedded PostgreSQL, started by the app's own code and supervised as npm start
// does, killed with SIGKILL: it comes back by itself, /api/health says which part is down
// meanwhile, pages answer 503 "database restarting", and imports cut off are resumed (uploads)
// or marked failed with the reason as soon as the database answers.

const root = mkdtempSync(path.join(os.tmpdir(), 'et-supervised-'))
chmodSync(root, 0o755) // as root, PostgreSQL runs as the postgres user, which must reach the folder
const dataDir = path.join(root, 'postgres')
const statusFile = path.join(root, 'status.json')
let supervisor: Supervisor
let analyst: Actor

function killPostmaster(): void {
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  process.kill(pid, 'SIGKILL')
}

async function until<T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function signIns(count: number, prefix: string): Buffer {
  const start = Date.parse('2026-03-02T10:00:00Z')
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    lines.push(JSON.stringify({ '@timestamp': start + i * 100, id: `${prefix}-${i}`, resultType: '50034', ipAddress: `203.0.113.${i % 200}`, userPrincipalName: `user${i % 5000}@contoso.com`, clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0', appDisplayName: 'Azure Portal' }))
  }
  return Buffer.from(lines.join('\n') + '\n')
}

beforeAll(async () => {
  const server = await startEmbeddedPostgres({ dataDir, port: 56000 + Math.floor(Math.random() * 900) })
  supervisor = superviseEmbeddedPostgres(server, { statusFile, log: () => {} })
  process.env.DATABASE_URL = server.url
  process.env.ET_EMBEDDED_STATUS_FILE = statusFile
  process.env.ET_UPLOAD_DIR = path.join(root, 'uploads')
  await getPool() // migrates
  analyst = { user: await createUser({ email: 'analyst@example.com', role: 'analyst', password: 'analyst-password-1' }), via: 'session' }
})

afterAll(async () => {
  await closeDatabase()
  await supervisor?.stop()
  rmSync(root, { recursive: true, force: true })
})

describe('the supervised embedded PostgreSQL', () => {
  it('comes back after kill -9 of its postmaster, and /api/health says which part was down', async () => {
    const healthy = await checkHealth()
    expect(healthy).toMatchObject({ status: 'ok', app: { status: 'up' }, database: { status: 'up' }, embeddedDatabaseSupervisor: { status: 'running', restarts: 0 } })
    // Nothing sensitive in it: no URL, password, host, port or version.
    const text = JSON.stringify(healthy)
    const url = new URL(process.env.DATABASE_URL!)
    for (const secret of [url.password, url.port, 'postgresql://', dataDir]) expect(text).not.toContain(secret)

    await (await getPool()).query('CREATE TABLE IF NOT EXISTS survives (v text); INSERT INTO survives VALUES ($$before the kill$$)')
    killPostmaster()
    const down = await until('health to report the database down', () => checkHealth(), (h) => h.database.status === 'down', 10_000)
    expect(down.status).toBe('down')
    expect(['restarting', 'running']).toContain(down.embeddedDatabaseSupervisor.status)

    await until('the supervisor to restart it', () => supervisor.status(), (s) => s.state === 'running' && s.restarts === 1)
    const back = await until('health ok again', () => checkHealth(), (h) => h.status === 'ok')
    expect(back.embeddedDatabaseSupervisor).toMatchObject({ status: 'running', restarts: 1, lastExit: 'signal SIGKILL' })
    // The app's own pool works again without a restart of the app.
    const rows = await until('the pool to reconnect', () => getPool().then((p) => p.query('SELECT v FROM survives').then((r) => r.rows, () => null)), (r) => r !== null)
    expect(rows).toEqual([{ v: 'before the kill' }])
  }, 120_000)

  it('pages answer 503 "database restarting" while it is down, and go on when it is back', async () => {
    expect(await databaseGate()).toBeNull()
    const real = readFileSync(statusFile, 'utf8')
    writeFileSync(statusFile, JSON.stringify({ ...JSON.parse(real), state: 'restarting' }))
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100)) // the gate keeps its answer for a second
      const page = await databaseGate()
      expect(page?.status).toBe(503)
      expect(page?.headers.get('retry-after')).toBe('5')
      expect(await page?.text()).toContain('The database is restarting')
      expect((await checkHealth()).status).toBe('degraded')
    } finally {
      writeFileSync(statusFile, real)
    }
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect(await databaseGate()).toBeNull()
  })

  it('an import cut off by the kill is marked failed with the reason as soon as the database is back', async () => {
    const { id: datasetId } = await findOrCreateDataset('cli-import')
    async function* slowly(): AsyncGenerator<Buffer> {
      const content = signIns(60_000, 'cli')
      for (let i = 0; i < content.length; i += 256 * 1024) {
        yield content.subarray(i, i + 256 * 1024)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
    const importing = ingest({ datasetId, fileName: 'cli.ndjson', source: slowly() })
    const pool = await getPool()
    await until('the import to run', () => pool.query(`SELECT status FROM import_jobs WHERE file_name = 'cli.ndjson'`).then((r) => r.rows[0]?.status), (s) => s === 'running')
    await new Promise((resolve) => setTimeout(resolve, 300))
    killPostmaster()
    const report = await importing
    expect(report.status).toBe('failed')
    expect(report.error).toMatch(/^interrupted: the connection to the database was lost/)
    await supervisor.running()
    const job = await until(
      'the job to say it failed',
      () => pool.query(`SELECT status, error FROM import_jobs WHERE id = $1`, [report.jobId]).then((r) => r.rows[0], () => null),
      (j) => j?.status === 'failed',
    )
    expect(job.error).toMatch(/^interrupted: the connection to the database was lost/)
    expect((await pool.query(`SELECT count(*)::int AS n FROM sign_in_events WHERE dataset_id = $1`, [datasetId])).rows[0].n).toBe(0)
  }, 120_000)

  it('an uploaded file whose import was cut off is imported again when the database is back', async () => {
    const content = signIns(60_000, 'upl')
    const upload = await createUpload({ dataset: 'uploaded', fileName: 'signins.ndjson', size: content.length }, analyst)
    const pool = await getPool()
    const received = receiveChunk(upload.jobId, 0, Readable.from([content]), analyst)
    await received
    await until('the upload import to run', () => pool.query(`SELECT status FROM import_jobs WHERE id = $1`, [upload.jobId]).then((r) => r.rows[0]?.status), (s) => s === 'running', 30_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    killPostmaster()
    await until('the supervisor to notice', () => supervisor.status(), (s) => s.state !== 'running', 10_000).catch(() => null)
    await supervisor.running()
    // Meanwhile the job waits to be imported again (queued, saying why); it never says failed or running with an ETA.
    const seen = new Set<string>()
    const done = await until(
      'the upload to be imported again',
      () => importProgress(upload.jobId).catch(() => null),
      (p) => {
        if (p) seen.add(p.status)
        return p?.status === 'succeeded' || p?.status === 'failed'
      },
      120_000,
    )
    expect(done).toMatchObject({ status: 'succeeded', rowsInserted: 60_000, rowsRead: 60_000 })
    expect(seen.has('failed')).toBe(false)
  }, 240_000)

  it("npm start's app role on the embedded server: its own password, no right to disable the audit trigger", async () => {
    const { appRoleUrl, ensureAppRole } = await import('@/lib/db/app-role')
    const { embeddedAppPassword } = await import('@/lib/db/embedded-postgres')
    const password = await embeddedAppPassword(dataDir)
    expect(await embeddedAppPassword(dataDir)).toBe(password) // kept, not made anew
    const role = await ensureAppRole(await getPool(), { password })
    const client = new pg.Client({ connectionString: appRoleUrl(process.env.DATABASE_URL!, role, password) })
    await client.connect()
    try {
      expect((await client.query('SELECT current_user AS who, usesuper FROM pg_user WHERE usename = current_user')).rows[0]).toEqual({ who: 'enumeration_triage_app', usesuper: false })
      await expect(client.query('ALTER TABLE audit_events DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/)
      await expect(client.query('DELETE FROM audit_events')).rejects.toThrow(/permission denied/)
      expect((await client.query('SELECT count(*)::int AS n FROM import_jobs')).rows[0].n).toBeGreaterThan(0)
    } finally {
      await client.end()
    }
  })
})
