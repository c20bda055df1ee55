import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { allowedHosts, parseSettings } from '@/lib/connectors/connector-settings'
import { logAnalyticsFetcher } from '@/lib/connectors/fetchers/log-analytics'
import type { FetchContext, Slice } from '@/lib/connectors/slice-fetcher'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { ingest } from '@/lib/ingest/pipeline'
import { job, query } from '../helpers/ingest-kit'
import { sampleLogAnalyticsRows, startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft'
import { useTestDatabase } from '../helpers/test-database'

// The fetcher against a fake Entra ID + Log Analytics query API (tests/helpers/fake-microsoft.ts);
// the HTTP client, token source, pipeline and database are the real ones.
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
useTestDatabase()

const app = { tenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', clientId: '0b7a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b', clientSecret: 'the-right-secret' }
const workspaceId = '7c3e1a2b-4d5f-4a6b-8c9d-0e1f2a3b4c5d'
const DAY: Slice = { from: new Date('2026-02-17T00:00:00Z'), to: new Date('2026-02-18T00:00:00Z') }
const rows = sampleLogAnalyticsRows()

let fake: FakeMicrosoft

beforeEach(async () => {
  fake = await startFakeMicrosoft({ app, logAnalytics: { workspaceId, rows } })
})
afterEach(async () => {
  await fake.stop()
})

function setup(options: { secret?: string; workspaceId?: string; onProgress?: FetchContext['onProgress'] } = {}) {
  const settings = parseSettings('log_analytics', {
    tenantId: app.tenantId,
    clientId: app.clientId,
    workspaceId: options.workspaceId ?? workspaceId,
    authorityUrl: fake.url,
    apiUrl: fake.url,
  }) as Record<string, string>
  const sleeps: number[] = []
  const context: FetchContext = {
    settings,
    secret: options.secret ?? app.clientSecret,
    http: { allowedHosts: allowedHosts('log_analytics', settings), sleep: async (ms) => void sleeps.push(ms) },
    onProgress: options.onProgress,
  }
  return { context, sleeps }
}

async function records(source: AsyncIterable<Buffer>): Promise<Record<string, unknown>[]> {
  const chunks: Buffer[] = []
  for await (const chunk of source) chunks.push(chunk)
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

const ids = (list: Record<string, unknown>[]) => list.map((r) => String(r.Id)).sort()
const queries = () => fake.requests.filter((r) => r.api === 'log_analytics')
const bodies = () => queries().map((r) => JSON.parse(r.body) as { query: string; timespan: string })

describe('Log Analytics fetcher', () => {
  it('queries both sign-in tables for the slice and hands back the rows as objects', async () => {
    const { context, sleeps } = setup()
    const pulled = await records(logAnalyticsFetcher.fetchSlice(DAY, context))

    expect(pulled).toHaveLength(81)
    expect(ids(pulled)).toEqual(ids(rows))
    const [{ query: kql, timespan }] = bodies()
    expect(kql).toBe(
      [
        'union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs',
        '| where TimeGenerated >= datetime(2026-02-17T00:00:00.000Z) and TimeGenerated < datetime(2026-02-18T00:00:00.000Z)',
        '| project-keep Id, CreatedDateTime, TimeGenerated, Type, Category, UserPrincipalName, UserId, IPAddress, ClientAppUsed, UserAgent, AppDisplayName, AppId, ResultType, ResultDescription, Location, CorrelationId, Status*, LocationDetails*, AutonomousSystemNumber*, IsInteractive*, AuthenticationProtocol*',
      ].join('\n'),
    )
    expect(timespan).toBe('2026-02-17T00:00:00Z/2026-02-18T00:00:00Z')
    // dynamic columns come back as JSON text and leave as objects; string columns stay text
    const interactive = pulled.find((r) => r.Type === 'SigninLogs')!
    const nonInteractive = pulled.find((r) => r.Type === 'AADNonInteractiveUserSignInLogs')!
    expect(interactive.Status_dynamic).toEqual(rows.find((r) => r.Id === interactive.Id)!.Status_dynamic)
    expect(typeof nonInteractive.Status_string).toBe('string')
    expect(interactive.IsInteractive).toBe(true)
    expect(sleeps).toEqual([])
  })

  it('slice after slice, every row comes exactly once, with the slice of its TimeGenerated', async () => {
    // written at 10:00:03 for a sign-in at 09:59:58: on the TimeGenerated side of the edge
    const edge = { ...rows[0], Id: 'edge-of-the-hour', CreatedDateTime: '2026-02-17T09:59:58.000Z', TimeGenerated: '2026-02-17T10:00:03.000Z' }
    fake.logAnalytics.rows = [...rows, edge]
    const { context } = setup()
    const bySlice = new Map<string, string[]>()
    for (let hour = 0; hour < 24; hour++) {
      const slice = { from: new Date(DAY.from.getTime() + hour * 3_600_000), to: new Date(DAY.from.getTime() + (hour + 1) * 3_600_000) }
      bySlice.set(slice.from.toISOString(), ids(await records(logAnalyticsFetcher.fetchSlice(slice, context))))
    }
    const all = [...bySlice.values()].flat().sort()
    expect(all).toEqual(ids([...rows, edge]))
    expect(bySlice.get('2026-02-17T10:00:00.000Z')).toContain('edge-of-the-hour')
    expect(bySlice.get('2026-02-17T09:00:00.000Z')).not.toContain('edge-of-the-hour')
    expect(queries()).toHaveLength(24)
    // one token for the whole run
    expect(fake.tokensIssued()).toBe(1)
  })

  it('waits out a 429 for exactly its Retry-After', async () => {
    fake.logAnalytics.throttle = { requests: [1], retryAfterSeconds: 12 }
    const { context, sleeps } = setup()
    const pulled = await records(logAnalyticsFetcher.fetchSlice(DAY, context))
    expect(sleeps).toEqual([12_000])
    expect(queries().map((r) => r.status)).toEqual([429, 200])
    expect(ids(pulled)).toEqual(ids(rows))
  })

  it('splits a truncated result (PartialError) until every part is complete, keeping nothing of the truncated answers', async () => {
    fake.logAnalytics.maxRows = 10
    const { context } = setup()
    const pulled = await records(logAnalyticsFetcher.fetchSlice(DAY, context))
    expect(pulled).toHaveLength(81)
    expect(ids(pulled)).toEqual(ids(rows))
    // the day was halved again and again where rows were dense
    expect(queries().length).toBeGreaterThan(8)
    expect(bodies()[1].timespan).toBe('2026-02-17T00:00:00Z/2026-02-17T12:00:00Z')
    expect(bodies()[1].query).toContain('TimeGenerated < datetime(2026-02-17T12:00:00.000Z)')
  })

  it('fails clearly when even the shortest window is truncated', async () => {
    const burst = Array.from({ length: 3 }, (_, i) => ({ ...rows[0], Id: `burst-${i}`, TimeGenerated: '2026-02-17T10:00:00.000Z' }))
    fake.logAnalytics.rows = burst
    fake.logAnalytics.maxRows = 2
    const { context } = setup()
    await expect(records(logAnalyticsFetcher.fetchSlice({ from: new Date('2026-02-17T10:00:00Z'), to: new Date('2026-02-17T10:01:00Z') }, context))).rejects.toThrow(
      /truncates the sign-ins of 2026-02-17T10:00:00Z – 2026-02-17T10:00:01\.\d{3}Z even in a window of 1\d{3} ms \(PartialError: .*E_QUERY_RESULT_SET_TOO_LARGE.*nothing of it was kept$/,
    )
  })

  it('gets a new token when the one in use expires between two queries', async () => {
    fake.logAnalytics.maxRows = 10
    let expired = false
    const { context } = setup({
      onProgress: () => {
        if (!expired) {
          expired = true
          fake.advanceClock(3_600_000)
        }
      },
    })
    const pulled = await records(logAnalyticsFetcher.fetchSlice(DAY, context))
    expect(ids(pulled)).toEqual(ids(rows))
    expect(queries().filter((r) => r.status === 403)).toHaveLength(1)
    expect(fake.tokensIssued()).toBe(2)
  })

  it('an empty workspace (204) gives no bytes', async () => {
    fake.logAnalytics.rows = []
    const chunks: Buffer[] = []
    for await (const chunk of logAnalyticsFetcher.fetchSlice(DAY, setup().context)) chunks.push(chunk)
    expect(chunks).toEqual([])
    expect(queries().map((r) => r.status)).toEqual([204])
  })

  it('refuses an API URL outside the connector’s hosts before sending anything', async () => {
    const { context } = setup()
    context.http = { ...context.http, allowedHosts: new Set(['login.microsoftonline.com', 'api.loganalytics.azure.com']) }
    await expect(records(logAnalyticsFetcher.fetchSlice(DAY, context))).rejects.toThrow(/refused: 127\.0\.0\.1:\d+ is not one of this connector's hosts/)
    expect(fake.requests).toEqual([])
  })

  describe('test connection', () => {
    it('runs SigninLogs | take 1', async () => {
      const result = await logAnalyticsFetcher.testConnection(setup().context)
      expect(result).toEqual({ ok: true, message: `connected: app ${app.clientId} may query workspace ${workspaceId} (no sign-ins in SigninLogs from the last day)` })
      expect(bodies()).toEqual([{ query: 'SigninLogs | take 1', timespan: 'P1D' }])
    })

    it('names a wrong secret', async () => {
      const result = await logAnalyticsFetcher.testConnection(setup({ secret: 'a-wrong-secret' }).context)
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/client secret is wrong or expired \(invalid_client: AADSTS7000215/) })
    })

    it('names the missing role on the workspace', async () => {
      fake.logAnalytics.permitted = false
      const result = await logAnalyticsFetcher.testConnection(setup().context)
      expect(result.ok).toBe(false)
      expect(result.message).toMatch(/403 InsufficientAccessError: .*Log Analytics Reader/)
    })

    it('names an unknown workspace', async () => {
      const result = await logAnalyticsFetcher.testConnection(setup({ workspaceId: '11111111-2222-3333-4444-555555555555' }).context)
      expect(result.ok).toBe(false)
      expect(result.message).toMatch(/no workspace 11111111-2222-3333-4444-555555555555 at .*404 PathNotFoundError.*Workspace ID/)
    })
  })

  describe('into a dataset', () => {
    async function pull(dataset: string) {
      const { id } = await findOrCreateDataset(dataset)
      return ingest({ datasetId: id, fileName: `log analytics ${DAY.from.toISOString()}`, source: logAnalyticsFetcher.fetchSlice(DAY, setup().context), origin: 'connector' })
    }

    async function stored(dataset: string) {
      const { id } = await findOrCreateDataset(dataset)
      return query(
        `SELECT coalesce(source_event_uuid::text, source_event_id) AS source_event_id, created_at, user_principal_name, host(ip_address) AS ip, error_code, is_interactive, location_country, b.source_format
           FROM sign_in_events JOIN sign_in_record_blocks b ON b.dataset_id = sign_in_events.dataset_id AND b.block_id = sign_in_events.record_block WHERE sign_in_events.dataset_id = $1 ORDER BY 1`,
        [id],
      )
    }

    const expected = rows
      .map((r) => ({
        source_event_id: String(r.Id),
        // the sign-in time, not the time Log Analytics wrote the row
        created_at: new Date(String(r.CreatedDateTime)),
        user_principal_name: String(r.UserPrincipalName).toLowerCase(),
        ip: String(r.IPAddress),
        error_code: String(r.ResultType),
        is_interactive: r.Type === 'SigninLogs',
        location_country: ((r.LocationDetails_dynamic ?? JSON.parse(String(r.LocationDetails_string))) as { countryOrRegion: string }).countryOrRegion,
        source_format: 'log-analytics-json',
      }))
      .sort((a, b) => (a.source_event_id < b.source_event_id ? -1 : 1))

    it('stores exactly what Log Analytics served, once, and nothing more when the slice comes again', async () => {
      const first = await pull('la-e2e')
      expect(first).toMatchObject({ status: 'succeeded', format: 'log-analytics-json', rowsRead: 81, rowsInserted: 81, rowsRejected: 0 })
      expect(await stored('la-e2e')).toEqual(expected)

      const again = await pull('la-e2e')
      expect(again).toMatchObject({ status: 'succeeded', rowsRead: 81, rowsInserted: 0, rowsDuplicate: 81 })
      expect(await stored('la-e2e')).toEqual(expected)
    })

    it('a query failing after part of the slice arrived fails the import and stores nothing; the retry stores everything once', async () => {
      // the day is truncated, its first half arrives, the second half's query fails
      fake.logAnalytics.maxRows = 60
      fake.logAnalytics.fail = { request: 3 }
      const failed = await pull('la-midway')
      expect(queries().map((r) => r.status)).toEqual([200, 200, 500])
      expect(failed.status).toBe('failed')
      expect(failed.error).toMatch(/Log Analytics answered 500 \(InternalServerError/)
      expect((await job(failed.jobId)).status).toBe('failed')
      expect(await stored('la-midway')).toEqual([])

      const retried = await pull('la-midway')
      expect(retried).toMatchObject({ status: 'succeeded', rowsInserted: 81 })
      expect(await stored('la-midway')).toEqual(expected)
    })
  })
})
