import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { backfillWindowProblem, createBackfill, parseBackfillWindow } from '@/lib/connectors/backfill'
import { orphanedBackfills } from '@/lib/connectors/connector-lease'
import { listConnectorRuns } from '@/lib/connectors/connector-runs'
import { createConnector, getConnector } from '@/lib/connectors/connector-store'
import { graphFetcher } from '@/lib/connectors/fetchers/graph'
import { currentProcess, procStartTime } from '@/lib/connectors/process-identity'
import { runBackfill, runConnector } from '@/lib/connectors/run-connector'
import { schedulerTick } from '@/lib/connectors/scheduler'
import { newSecretKey } from '@/lib/connectors/secrets'
import type { SliceFetcher } from '@/lib/connectors/slice-fetcher'
import { getPool, getPrisma } from '@/lib/db/database'
import { startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft'
import { syntheticSignIns } from '../helpers/synthetic-signins'
import { useTestDatabase } from '../helpers/test-database'

// A run whose process is gone is taken over at once (not after the 10-minute lease), and a
// chosen window is pulled as a backfill beside the stream, resumed after its process died.
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
process.env.ET_SECRET_KEY = newSecretKey()
useTestDatabase()

const app = { tenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', clientId: '0b7a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b', clientSecret: 'the-right-secret' }
const NOW = new Date('2026-02-18T00:00:00Z')
const data = syntheticSignIns(480, new Date('2026-02-17T00:00:00Z'), 24, 2)
const http = { sleep: async () => {} }
const quiet = { now: NOW, http, log: () => {} }

let fake: FakeMicrosoft
let admin: Actor

beforeAll(async () => {
  fake = await startFakeMicrosoft({ app, graph: { signIns: data.graph, pageSize: 50 } })
  admin = { user: await createUser({ email: 'admin@example.com', role: 'admin', password: 'admin-password-12' }), via: 'session' }
})
afterAll(() => fake.stop())

async function graphConnector(name: string, initialLookbackHours = 24) {
  return createConnector(
    {
      name,
      kind: 'graph',
      dataset: name,
      settings: { tenantId: app.tenantId, clientId: app.clientId, authorityUrl: fake.url, graphUrl: fake.url },
      secret: app.clientSecret,
      initialLookbackHours,
    },
    admin,
  )
}

/** A process that then dies for real (kill -9), as an app server would. */
async function doomedProcess() {
  const child = spawn('sleep', ['120'], { stdio: 'ignore' })
  await once(child, 'spawn')
  const pid = child.pid!
  return { pid, start: procStartTime(pid), kill: async () => (child.kill('SIGKILL'), await once(child, 'exit')) }
}

/** A stream run held by another process, as a crashed app server leaves it. */
async function heldBy(connectorId: number, holder: { host: string; pid: number; start: string | null; boot: string }) {
  const prisma = await getPrisma()
  const run = await prisma.connectorRun.create({ data: { connectorId, holderHost: holder.host, holderPid: holder.pid, holderStart: holder.start, holderBoot: holder.boot } })
  const pool = await getPool()
  await pool.query(`UPDATE connectors SET locked_until = now() + interval '10 minutes', locked_by_run_id = $2 WHERE id = $1`, [connectorId, run.id])
  return run.id
}

/** The served ids of sign-ins before a time. */
const idsBefore = (time: string) =>
  data.graph
    .filter((s) => Date.parse(String(s.createdDateTime)) < Date.parse(time))
    .map((s) => String(s.id))
    .sort()

async function storedIds(datasetId: number): Promise<string[]> {
  const prisma = await getPrisma()
  return (await prisma.signInEvent.findMany({ where: { datasetId }, select: { sourceEventId: true, sourceEventUuid: true } })).map((e) => (e.sourceEventUuid ?? e.sourceEventId)!).sort()
}

describe('taking over a run whose process is gone', () => {
  it('waits for a live holder, and takes over at once when its process was killed', async () => {
    const { id } = await graphConnector('crashed')
    const holder = await doomedProcess()
    const deadRun = await heldBy(id, { host: hostname(), pid: holder.pid, start: holder.start, boot: currentProcess().boot })
    expect((await getConnector(id))?.running).toBe(true)
    await expect(runConnector(id, quiet)).rejects.toMatchObject({ status: 409 })

    await holder.kill()
    // No waiting for the lease: the page no longer says "running", and a run starts now.
    expect((await getConnector(id))?.running).toBe(false)
    const result = await runConnector(id, quiet)
    // 24 h back, to the last whole hour before the 10-minute lag.
    expect(result).toMatchObject({ status: 'succeeded', eventsInserted: idsBefore('2026-02-17T23:00:00Z').length })
    const prisma = await getPrisma()
    const old = await prisma.connectorRun.findUniqueOrThrow({ where: { id: deadRun } })
    expect(old.status).toBe('failed')
    expect(old.error).toMatch(new RegExp(`interrupted: the process running it \\(pid ${holder.pid} on ${hostname()}\\) is gone`))
    expect((await getConnector(id))?.running).toBe(false)
  })

  it('takes over when the host restarted (another boot id), never from a live process or another host', async () => {
    const me = currentProcess()
    const { id } = await graphConnector('rebooted')
    await heldBy(id, { ...me, boot: 'a-boot-before-the-restart' })
    expect((await runConnector(id, quiet)).status).toBe('succeeded')

    const { id: other } = await graphConnector('elsewhere')
    await heldBy(other, { ...me, host: 'another-host' })
    await expect(runConnector(other, quiet)).rejects.toMatchObject({ status: 409 })
    const { id: alive } = await graphConnector('alive')
    await heldBy(alive, me)
    await expect(runConnector(alive, quiet)).rejects.toMatchObject({ status: 409 })
  })

  it('the scheduler fails a dead process’s run and frees its connector on its next tick, without the 5-minute heartbeat wait', async () => {
    const { id } = await graphConnector('tick')
    const holder = await doomedProcess()
    const deadRun = await heldBy(id, { host: hostname(), pid: holder.pid, start: holder.start, boot: currentProcess().boot })
    await holder.kill()
    await schedulerTick(() => {})
    const prisma = await getPrisma()
    expect((await prisma.connectorRun.findUniqueOrThrow({ where: { id: deadRun } })).status).toBe('failed')
    expect(await prisma.connector.findUniqueOrThrow({ where: { id } })).toMatchObject({ lockedUntil: null, lockedByRunId: null })
  })
})

describe('backfill of a chosen window', () => {
  it('checks the window against the service’s retention and the ingestion lag, and says so', () => {
    const day = (d: string) => new Date(`${d}T00:00:00Z`)
    expect(parseBackfillWindow('2026-02-10', '2026-02-16')).toEqual({ from: day('2026-02-10'), to: day('2026-02-17') })
    expect(parseBackfillWindow('2026-02-10T06:00:00Z', '2026-02-10T07:30:00+01:00')).toEqual({ from: new Date('2026-02-10T06:00:00Z'), to: new Date('2026-02-10T06:30:00Z') })
    expect(() => parseBackfillWindow('2026-02-30', '2026-03-01')).toThrow(/from must be a date/)
    expect(() => parseBackfillWindow('yesterday', '2026-03-01')).toThrow(/from must be a date/)
    expect(backfillWindowProblem('graph', { from: day('2026-01-15'), to: day('2026-01-20') }, NOW)).toMatch(/Microsoft Graph keeps sign-ins for 30 days/)
    expect(backfillWindowProblem('graph', { from: day('2026-01-20'), to: day('2026-01-25') }, NOW)).toBeNull()
    expect(backfillWindowProblem('log_analytics', { from: day('2025-01-01'), to: day('2025-01-09') }, NOW)).toBeNull()
    expect(backfillWindowProblem('log_analytics', { from: day('2023-12-01'), to: day('2023-12-09') }, NOW)).toMatch(/at most two years/)
    expect(backfillWindowProblem('logscale', { from: day('2020-01-01'), to: day('2020-01-09') }, NOW)).toBeNull()
    expect(backfillWindowProblem('graph', { from: day('2026-02-17'), to: NOW }, NOW)).toMatch(/must end by 2026-02-17T23:50:00.000Z/)
    expect(backfillWindowProblem('graph', { from: day('2026-02-17'), to: day('2026-02-17') }, NOW)).toMatch(/end after it starts/)
  })

  it('pulls the window beside the stream without moving its watermark, resumes after its process died, and stores every event once', async () => {
    // The stream has pulled the last 6 hours.
    const connector = await graphConnector('incident', 6)
    expect((await runConnector(connector.id, quiet)).status).toBe('succeeded')
    const streamed = (await storedIds(connector.datasetId)).length
    expect(streamed).toBeGreaterThan(0)
    expect((await getConnector(connector.id))?.watermark).toBe('2026-02-17T23:00:00.000Z')

    const window = parseBackfillWindow('2026-02-17T00:00:00Z', '2026-02-17T23:50:00Z')
    const runId = await createBackfill(connector.id, window, admin, NOW)
    await expect(createBackfill(connector.id, window, admin, NOW)).rejects.toMatchObject({ status: 409 })

    // The first process stores the slices before noon, then dies while fetching the noon slice.
    let hung = false
    const dying: SliceFetcher = {
      ...graphFetcher,
      async *fetchSlice(slice, context) {
        if (slice.from >= new Date('2026-02-17T12:00:00Z')) {
          hung = true
          await new Promise(() => {})
        }
        yield* graphFetcher.fetchSlice(slice, context)
      },
    }
    void runBackfill(runId, { ...quiet, fetcher: dying })
    const prisma = await getPrisma()
    while (!hung) await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await prisma.connectorRun.findUniqueOrThrow({ where: { id: runId } })).progressTo?.toISOString()).toBe('2026-02-17T12:00:00.000Z')
    // That process is gone.
    const holder = await doomedProcess()
    await holder.kill()
    await prisma.connectorRun.update({ where: { id: runId }, data: { holderPid: holder.pid, holderStart: holder.start } })

    expect(await orphanedBackfills()).toEqual([runId])
    // A new backfill meanwhile says what became of this one, and how to resume it.
    await expect(createBackfill(connector.id, window, admin, NOW)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(new RegExp(`backfill run ${runId} of incident was interrupted .* --resume ${runId}`)),
    })
    const requestsBefore = fake.requests.length
    const resumed = await runBackfill(runId, quiet)
    expect(resumed).toMatchObject({ status: 'succeeded', slicesTotal: 24, slicesDone: 24 })
    // Resumed at noon: nothing before it was asked for again.
    const asked = fake.requests
      .slice(requestsBefore)
      .filter((r) => r.api === 'graph' && !r.target.includes('skiptoken'))
      .map((r) => /createdDateTime ge (\S+)/.exec(decodeURIComponent(r.target))![1])
    expect(asked.every((from) => from >= '2026-02-17T12:00:00Z')).toBe(true)
    expect(asked).toHaveLength(12)

    // Every event of the window once; those the stream had are not stored again.
    const expected = idsBefore('2026-02-17T23:50:00Z')
    expect(await storedIds(connector.datasetId)).toEqual(expected)
    const run = await prisma.connectorRun.findUniqueOrThrow({ where: { id: runId } })
    expect(run).toMatchObject({ status: 'succeeded', backfill: true, eventsInserted: expected.length - streamed })
    expect(run.progressTo?.toISOString()).toBe('2026-02-17T23:50:00.000Z')
    // The stream's position did not move.
    expect((await getConnector(connector.id))?.watermark).toBe('2026-02-17T23:00:00.000Z')

    // On the run page / API, and in the audit trail.
    const page = await listConnectorRuns(connector.id)
    expect(page.runs[0]).toMatchObject({ id: runId, backfill: true, windowFrom: '2026-02-17T00:00:00.000Z', windowTo: '2026-02-17T23:50:00.000Z', slicesDone: 24 })
    const audit = await prisma.auditEvent.findMany({ where: { action: 'connector.backfill', entityId: String(connector.id) } })
    expect(audit).toHaveLength(1)
    expect(audit[0].after).toMatchObject({ run: runId, from: '2026-02-17T00:00:00.000Z', to: '2026-02-17T23:50:00.000Z' })
  })

  it('a backfill that failed goes on from its last stored slice when resumed', async () => {
    const connector = await graphConnector('failing backfill', 1)
    const runId = await createBackfill(connector.id, parseBackfillWindow('2026-02-17T00:00:00Z', '2026-02-17T06:00:00Z'), admin, NOW)
    const broken: SliceFetcher = {
      ...graphFetcher,
      async *fetchSlice(slice, context) {
        if (slice.from >= new Date('2026-02-17T03:00:00Z')) throw new Error('the service is down')
        yield* graphFetcher.fetchSlice(slice, context)
      },
    }
    expect(await runBackfill(runId, { ...quiet, fetcher: broken })).toMatchObject({ status: 'failed', slicesDone: 3, error: 'the service is down' })
    const slicesAsked = () => fake.requests.filter((r) => r.api === 'graph' && !r.target.includes('skiptoken')).length
    const before = slicesAsked()
    expect(await runBackfill(runId, quiet)).toMatchObject({ status: 'succeeded', slicesDone: 6, slicesTotal: 6 })
    // Only the three slices not stored were asked for.
    expect(slicesAsked() - before).toBe(3)
    expect(await storedIds(connector.datasetId)).toEqual(idsBefore('2026-02-17T06:00:00Z'))
  })

  it('keeps every run, a page at a time', async () => {
    const { id } = await graphConnector('many runs', 1)
    const prisma = await getPrisma()
    await prisma.connectorRun.createMany({ data: Array.from({ length: 45 }, (_, i) => ({ connectorId: id, status: 'succeeded' as const, startedAt: new Date(Date.UTC(2026, 1, 1, 0, i)) })) })
    const first = await listConnectorRuns(id)
    expect(first).toMatchObject({ page: 1, pages: 3, totalRuns: 45 })
    expect(first.runs).toHaveLength(20)
    const last = await listConnectorRuns(id, { page: 3 })
    expect(last.runs).toHaveLength(5)
    expect(last.runs.at(-1)?.startedAt).toBe('2026-02-01T00:00:00.000Z')
    expect(new Set([...first.runs, ...(await listConnectorRuns(id, { page: 2 })).runs, ...last.runs].map((r) => r.id)).size).toBe(45)
  })
})
