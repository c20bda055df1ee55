import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { connectorSecret, createConnector, getConnector, listConnectors, updateConnector } from '@/lib/connectors/connector-store'
import { runConnector, slicesBetween } from '@/lib/connectors/run-connector'
import { schedulerTick } from '@/lib/connectors/scheduler'
import { newSecretKey } from '@/lib/connectors/secrets'
import { testConnection } from '@/lib/connectors/test-connection'
import { getPool, getPrisma } from '@/lib/db/database'
import { sampleGraphSignIns, startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft'
import { useTestDatabase } from '../helpers/test-database'

// Whole connector runs against a fake Entra ID + Graph: time slices from a watermark, one
// import per slice, resumption after a failure without gaps or duplicates, secrets at rest.
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
process.env.ET_SECRET_KEY = newSecretKey()
useTestDatabase()

const app = { tenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', clientId: '0b7a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b', clientSecret: 'the-right-secret' }
const signIns = sampleGraphSignIns()
const NOW = new Date('2026-02-18T00:00:00Z')
const instant = { sleep: async () => {} }

let fake: FakeMicrosoft
let admin: Actor
let connectorId = 0

beforeAll(async () => {
  fake = await startFakeMicrosoft({ app, graph: { signIns, pageSize: 10 } })
  admin = { user: await createUser({ email: 'admin@example.com', role: 'admin', password: 'admin-password-12' }), via: 'session' }
  const connector = await createConnector(
    {
      name: 'contoso graph',
      kind: 'graph',
      dataset: 'pulled',
      settings: { tenantId: app.tenantId, clientId: app.clientId, authorityUrl: fake.url, graphUrl: fake.url },
      secret: app.clientSecret,
      sliceMinutes: 60,
      initialLookbackHours: 24,
    },
    admin,
  )
  connectorId = connector.id
})
afterAll(() => fake.stop())

async function storedIds(): Promise<string[]> {
  const prisma = await getPrisma()
  const connector = await getConnector(connectorId)
  return (await prisma.signInEvent.findMany({ where: { datasetId: connector!.datasetId }, select: { sourceEventId: true, sourceEventUuid: true } })).map((e) => (e.sourceEventUuid ?? e.sourceEventId)!).sort()
}

describe('connector runs', () => {
  it('keeps the secret encrypted at rest and never in what the API returns', async () => {
    const pool = await getPool()
    const { rows } = await pool.query('SELECT secret_ciphertext, settings::text FROM connectors WHERE id = $1', [connectorId])
    expect(rows[0].secret_ciphertext).not.toContain(app.clientSecret)
    expect(rows[0].secret_ciphertext).toMatch(/^v1:/)
    expect(await connectorSecret(connectorId)).toBe(app.clientSecret)
    const listed = JSON.stringify(await listConnectors())
    expect(listed).not.toContain(app.clientSecret)
    expect(listed).not.toContain(rows[0].secret_ciphertext)
  })

  it('tests a connection and says exactly what is wrong', async () => {
    const settings = { tenantId: app.tenantId, clientId: app.clientId, authorityUrl: fake.url, graphUrl: fake.url }
    expect(await testConnection({ kind: 'graph', settings, connectorId }, admin)).toMatchObject({ ok: true })
    const bad = await testConnection({ kind: 'graph', settings, secret: 'wrong' }, admin)
    expect(bad.ok).toBe(false)
    expect(bad.message).toMatch(/client secret is wrong or expired/)
    expect((await testConnection({ kind: 'graph', settings: { ...settings, clientId: 'nope' }, secret: 'x' }, admin)).message).toMatch(/clientId/)
  })

  it('pulls from the watermark in slices, one import per slice with sign-ins, and stores every event once', async () => {
    const result = await runConnector(connectorId, { now: NOW, http: instant, startedById: admin.user.id })
    // 24 h back from midnight, minus Graph's 10-minute ingestion lag: 23 whole hours.
    expect(result).toMatchObject({ status: 'succeeded', slicesTotal: 23, slicesDone: 23, eventsInserted: signIns.length, error: null })
    expect(await storedIds()).toEqual(signIns.map((s) => String(s.id)).sort())
    const connector = await getConnector(connectorId)
    expect(connector).toMatchObject({ watermark: '2026-02-17T23:00:00.000Z', lastError: null, running: false })
    const prisma = await getPrisma()
    const jobs = await prisma.importJob.findMany({ where: { connectorRunId: result.runId } })
    const hours = new Set(signIns.map((s) => String(s.createdDateTime).slice(0, 13)))
    expect(jobs).toHaveLength(hours.size)
    expect(jobs.every((j) => j.status === 'succeeded' && j.origin === 'connector' && j.startedById === admin.user.id)).toBe(true)
    // The findings were recomputed once, after the last slice: the dataset's first recompute, so
    // from all its events (lib/derive/recompute.ts), not over the slices' hours.
    const { rows: states } = await (await getPool()).query<{ status: string; last_run: { full: boolean; from: string | null; to: string | null } }>(
      'SELECT s.status, s.last_run FROM dataset_derived_state s JOIN connectors c ON c.dataset_id = s.dataset_id WHERE c.id = $1',
      [connectorId],
    )
    expect(states).toHaveLength(1)
    expect(states[0]).toMatchObject({ status: 'current', last_run: { full: true, from: null, to: null } })
    // Nothing new since: the next run has nothing to fetch.
    expect(await runConnector(connectorId, { now: NOW, http: instant })).toMatchObject({ status: 'succeeded', slicesTotal: 0 })
  })

  it('resumes after a failure mid-way from the last stored slice, without gaps or duplicates', async () => {
    const other = await createConnector(
      {
        name: 'flaky graph',
        kind: 'graph',
        dataset: 'flaky',
        settings: { tenantId: app.tenantId, clientId: app.clientId, authorityUrl: fake.url, graphUrl: fake.url },
        secret: app.clientSecret,
        initialLookbackHours: 24,
      },
      admin,
    )
    const before = fake.requests.length
    // Fail one Graph page well into the pull (retries give up after a 500).
    fake.graph.fail = { request: before + 12 }
    const failed = await runConnector(other.id, { now: NOW, http: { ...instant, maxRetries: 0 } })
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/500|failed/i)
    const stopped = await getConnector(other.id)
    expect(stopped?.lastError).toBeTruthy()
    expect(stopped?.watermark).not.toBeNull()
    expect(Date.parse(stopped!.watermark!)).toBeLessThan(Date.parse('2026-02-17T23:00:00Z'))
    fake.graph.fail = undefined

    const resumed = await runConnector(other.id, { now: NOW, http: instant })
    expect(resumed.status).toBe('succeeded')
    expect(resumed.slicesTotal).toBeLessThan(23) // started at the watermark, not from scratch
    const prisma = await getPrisma()
    const events = await prisma.signInEvent.findMany({ where: { datasetId: other.datasetId }, select: { sourceEventId: true, sourceEventUuid: true } })
    expect(events.map((e) => e.sourceEventUuid ?? e.sourceEventId).sort()).toEqual(signIns.map((s) => String(s.id)).sort())
  })

  it('never runs twice at once', async () => {
    const pool = await getPool()
    await pool.query(`UPDATE connectors SET locked_until = now() + interval '5 minutes' WHERE id = $1`, [connectorId])
    await expect(runConnector(connectorId, { now: NOW, http: instant })).rejects.toMatchObject({ status: 409 })
    await pool.query(`UPDATE connectors SET locked_until = NULL WHERE id = $1`, [connectorId])
  })

  it('runs scheduled connectors when they are due', async () => {
    const connector = (await getConnector(connectorId))!
    await updateConnector(
      connectorId,
      { name: connector.name, kind: 'graph', dataset: connector.datasetName, settings: connector.settings, scheduleMinutes: 15, initialLookbackHours: 24 },
      admin,
    )
    const pool = await getPool()
    // Due: last run an hour ago with a 15-minute schedule; caught up to two hours ago.
    await pool.query(`UPDATE connectors SET last_run_at = now() - interval '1 hour', watermark = date_trunc('hour', now()) - interval '2 hours' WHERE id = $1`, [connectorId])
    const prisma = await getPrisma()
    const runsBefore = await prisma.connectorRun.count({ where: { connectorId } })
    await schedulerTick(() => {})
    expect(await prisma.connectorRun.count({ where: { connectorId } })).toBe(runsBefore + 1)
    // Just ran: not due again.
    await schedulerTick(() => {})
    expect(await prisma.connectorRun.count({ where: { connectorId } })).toBe(runsBefore + 1)
  })

  it('slices align to whole slice lengths', () => {
    expect(slicesBetween(new Date('2026-02-17T10:17:00Z'), new Date('2026-02-17T13:05:00Z'), 60).map((s) => s.from.toISOString().slice(11, 16))).toEqual(['10:00', '11:00', '12:00'])
  })
})
