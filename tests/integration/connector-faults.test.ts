import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { listConnectorRuns } from '@/lib/connectors/connector-runs'
import { createConnector, getConnector } from '@/lib/connectors/connector-store'
import { renewalMarginMs } from '@/lib/connectors/entra-token'
import { runConnector } from '@/lib/connectors/run-connector'
import { newSecretKey } from '@/lib/connectors/secrets'
import { getPrisma } from '@/lib/db/database'
import { startFakeLogScale, type FakeLogScale } from '../helpers/fake-logscale'
import { startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft'
import { syntheticSignIns } from '../helpers/synthetic-signins'
import { useTestDatabase } from '../helpers/test-database'

// A pull over a flaky link, for each kind: bodies cut off mid-way, streams dropped, connections
// reset, 503s, 429s and tokens expiring, all in one run. The run must end with every served
// event stored once, and show what it went through (requests, retries by cause, tokens).
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
process.env.ET_SECRET_KEY = newSecretKey()
useTestDatabase()

const app = { tenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', clientId: '0b7a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b', clientSecret: 'the-right-secret' }
const workspaceId = '11111111-2222-4333-8444-555555555555'
const NOW = new Date('2026-02-18T00:00:00Z')
const FROM = new Date('2026-02-17T00:00:00Z')
// 600 sign-ins over the 12 hours before the lag; slices of 2 hours.
const data = syntheticSignIns(600, FROM, 12)
const sleeps: number[] = []
const http = { sleep: async (ms: number) => void sleeps.push(ms) }

let microsoft: FakeMicrosoft
let logscale: FakeLogScale
let admin: Actor

beforeAll(async () => {
  microsoft = await startFakeMicrosoft({ app, tokenLifetimeSeconds: 60, graph: { signIns: data.graph, pageSize: 40 }, logAnalytics: { workspaceId, rows: data.logAnalytics } })
  logscale = await startFakeLogScale({ repository: 'entra', token: 'ls-token', events: data.logscale, chunkBytes: 4000 })
  admin = { user: await createUser({ email: 'admin@example.com', role: 'admin', password: 'admin-password-12' }), via: 'session' }
})
afterAll(async () => {
  await microsoft.stop()
  await logscale.stop()
})

async function connector(name: string, kind: 'graph' | 'log_analytics' | 'logscale') {
  const settings: Record<string, string> =
    kind === 'graph'
      ? { tenantId: app.tenantId, clientId: app.clientId, authorityUrl: microsoft.url, graphUrl: microsoft.url }
      : kind === 'log_analytics'
        ? { tenantId: app.tenantId, clientId: app.clientId, workspaceId, authorityUrl: microsoft.url, apiUrl: microsoft.url }
        : { baseUrl: logscale.url, repository: 'entra' }
  return createConnector({ name, kind, dataset: name, settings, secret: kind === 'logscale' ? 'ls-token' : app.clientSecret, sliceMinutes: 120, initialLookbackHours: 24 }, admin)
}

async function storedIds(datasetId: number): Promise<string[]> {
  const prisma = await getPrisma()
  return (await prisma.signInEvent.findMany({ where: { datasetId }, select: { sourceEventId: true, sourceEventUuid: true } })).map((e) => (e.sourceEventUuid ?? e.sourceEventId)!).sort()
}

describe('a pull over a flaky link finishes in one run', () => {
  it('Graph: cut bodies, a reset, a 503, a 429, tokens expiring and a cut token answer', async () => {
    const { id, datasetId } = await connector('graph flaky', 'graph')
    const before = microsoft.requests.length
    microsoft.graph.cutBody = [2, 6, 11]
    microsoft.graph.reset = [4]
    microsoft.graph.unavailable = [8]
    microsoft.graph.throttle = { requests: [9], retryAfterSeconds: 3 }
    microsoft.graph.expireTokens = [13]
    microsoft.tokenFaults.cutBody = [2]
    const lines: string[] = []
    const result = await runConnector(id, { now: NOW, http, log: (line) => lines.push(line) })

    expect(result).toMatchObject({ status: 'succeeded', error: null, slicesDone: 11, slicesTotal: 11, eventsInserted: 600 })
    expect(await storedIds(datasetId)).toEqual(data.ids)
    const graphCalls = microsoft.requests.slice(before)
    expect(graphCalls.filter((r) => r.cut)).toHaveLength(4)
    // Every request counted, each retry by its cause; the expired token cost one refused request and one new token.
    expect(result.stats).toEqual({
      requests: graphCalls.length,
      retries: { throttled: 1, unavailable: 1, cutBody: 4, network: 1, tokenExpired: 1 },
      tokensFetched: 2,
    })
    // The fake issued a third one: the answer that carried it was cut off, and asked for again.
    expect(microsoft.tokensIssued()).toBe(3)
    // Retries are in the server log, with their cause.
    expect(lines.filter((l) => l.includes('retrying'))).toHaveLength(8)
    expect(lines.some((l) => /graph flaky run \d+: retrying .* after body cut off/.test(l))).toBe(true)
    expect(lines.at(-1)).toMatch(/succeeded: 11\/11 slices, 600 new events, \d+ requests, 8 retries, 2 tokens/)
    // …and on the run page / API.
    const { runs } = await listConnectorRuns(id)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ status: 'succeeded', requests: graphCalls.length, retries: result.stats.retries, tokensFetched: 2, eventsInserted: 600 })
    microsoft.graph.cutBody = microsoft.graph.reset = microsoft.graph.unavailable = microsoft.graph.expireTokens = microsoft.tokenFaults.cutBody = undefined
    microsoft.graph.throttle = undefined
  })

  it('Log Analytics: cut bodies, a reset, a 503, a 429 and tokens expiring', async () => {
    const { id, datasetId } = await connector('la flaky', 'log_analytics')
    const before = microsoft.requests.length
    // Request numbers go on from the Graph test's count for this API: Log Analytics starts at 1.
    microsoft.logAnalytics.cutBody = [1, 3, 7]
    microsoft.logAnalytics.reset = [5]
    microsoft.logAnalytics.unavailable = [9]
    microsoft.logAnalytics.throttle = { requests: [10], retryAfterSeconds: 2 }
    microsoft.logAnalytics.expireTokens = [12]
    const result = await runConnector(id, { now: NOW, http, log: () => {} })

    expect(result).toMatchObject({ status: 'succeeded', error: null, slicesDone: 11, eventsInserted: 600 })
    expect(await storedIds(datasetId)).toEqual(data.ids)
    expect(result.stats).toEqual({
      requests: microsoft.requests.length - before,
      retries: { throttled: 1, unavailable: 1, cutBody: 3, network: 1, tokenExpired: 1 },
      tokensFetched: 2,
    })
  })

  it('LogScale: a stream cut inside an event, a stream dropped after whole events, a reset, a 503 and a 429', async () => {
    const { id, datasetId } = await connector('logscale flaky', 'logscale')
    logscale.behaviour.faults = { cutMidEvent: [2], drop: [{ query: 5, afterEvents: 10 }], reset: [7], unavailable: [9] }
    logscale.behaviour.throttleOnce = { retryAfterSeconds: 1 }
    const result = await runConnector(id, { now: NOW, http, log: () => {} })

    expect(result).toMatchObject({ status: 'succeeded', error: null, slicesDone: 11, eventsInserted: 600 })
    expect(await storedIds(datasetId)).toEqual(data.ids)
    expect(result.stats).toEqual({ requests: logscale.queries.length, retries: { throttled: 1, unavailable: 1, cutBody: 2, network: 1, tokenExpired: 0 }, tokensFetched: 0 })
    // The re-served events of the broken streams were read again, not stored again.
    expect(result.eventsRead).toBeGreaterThan(600)
  })

  it('LogScale: an API token that stops working fails the run with what to do (it cannot be renewed), and nothing is half-stored', async () => {
    const { id, datasetId } = await connector('logscale revoked', 'logscale')
    logscale.behaviour.faults = undefined
    const result = await runConnector(id, { now: NOW, http, log: () => {}, maxSlices: 2 })
    expect(result.status).toBe('succeeded')
    logscale.behaviour.token = 'rotated'
    const failed = await runConnector(id, { now: NOW, http, log: () => {} })
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/LogScale rejected the API token \(401.*create a new one and enter it again/)
    const stored = await storedIds(datasetId)
    expect(stored.length).toBeGreaterThan(0)
    expect(new Set(stored).size).toBe(stored.length)
    expect((await getConnector(id))?.watermark).toBe('2026-02-17T04:00:00.000Z')
    logscale.behaviour.token = 'ls-token'
  })

  it('renews a token at a fraction of its lifetime: 60-second tokens are not fetched for every request', async () => {
    expect(renewalMarginMs(60_000)).toBe(12_000)
    expect(renewalMarginMs(3_600_000)).toBe(300_000)
    const { id } = await connector('graph short tokens', 'graph')
    const result = await runConnector(id, { now: NOW, http, log: () => {} })
    expect(result.status).toBe('succeeded')
    // 11 slices, 15+ pages, well within the 48 s a 60-second token is used for.
    expect(result.stats.requests).toBeGreaterThan(15)
    expect(result.stats.tokensFetched).toBe(1)
  })
})
