import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { allowedHosts, parseSettings } from '@/lib/connectors/connector-settings'
import { graphFetcher, signInsUrl } from '@/lib/connectors/fetchers/graph'
import type { FetchContext, Slice } from '@/lib/connectors/slice-fetcher'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { ingest } from '@/lib/ingest/pipeline'
import { job, query } from '../helpers/ingest-kit'
import { sampleGraphSignIns, startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft'
import { useTestDatabase } from '../helpers/test-database'

// The fetcher against a fake Entra ID + Graph (tests/helpers/fake-microsoft.ts); the HTTP
// client, token source, pipeline and database are the real ones.
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
useTestDatabase()

const app = { tenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', clientId: '0b7a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b', clientSecret: 'the-right-secret' }
const DAY: Slice = { from: new Date('2026-02-17T00:00:00Z'), to: new Date('2026-02-18T00:00:00Z') }
const signIns = sampleGraphSignIns()

let fake: FakeMicrosoft

beforeEach(async () => {
  fake = await startFakeMicrosoft({ app, graph: { signIns, pageSize: 20 } })
})
afterEach(async () => {
  await fake.stop()
})

function setup(options: { secret?: string; tenantId?: string; onProgress?: FetchContext['onProgress'] } = {}) {
  const settings = parseSettings('graph', { tenantId: options.tenantId ?? app.tenantId, clientId: app.clientId, authorityUrl: fake.url, graphUrl: fake.url }) as Record<string, string>
  const sleeps: number[] = []
  const context: FetchContext = {
    settings,
    secret: options.secret ?? app.clientSecret,
    http: { allowedHosts: allowedHosts('graph', settings), sleep: async (ms) => void sleeps.push(ms) },
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

const ids = (list: Record<string, unknown>[]) => list.map((r) => String(r.id)).sort()
const graphRequests = () => fake.requests.filter((r) => r.api === 'graph')

describe('Graph fetcher', () => {
  it('pulls every interactive and non-interactive sign-in of the slice, page after page, each once', async () => {
    const progress: { pages: number; records: number }[] = []
    const { context, sleeps } = setup({ onProgress: (p) => progress.push(p) })
    const pulled = await records(graphFetcher.fetchSlice(DAY, context))

    expect(pulled).toHaveLength(81)
    expect(ids(pulled)).toEqual(ids(signIns))
    // Graph objects verbatim: the first is the newest, as Graph orders them
    const newest = [...signIns].sort((a, b) => Date.parse(String(b.createdDateTime)) - Date.parse(String(a.createdDateTime)))[0]
    expect(pulled[0]).toEqual(newest)
    // without the event-type filter Graph would have returned the 72 interactive ones only
    expect(pulled.filter((r) => (r.signInEventTypes as string[]).includes('nonInteractiveUser'))).toHaveLength(9)
    expect(graphRequests().map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(progress.at(-1)).toEqual({ pages: 5, records: 81 })
    expect(sleeps).toEqual([])

    const first = new URL(graphRequests()[0].target, fake.url)
    expect(first.pathname).toBe('/beta/auditLogs/signIns')
    expect(first.searchParams.get('$filter')).toBe(
      "createdDateTime ge 2026-02-17T00:00:00Z and createdDateTime lt 2026-02-18T00:00:00Z and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')",
    )
    expect(first.searchParams.get('$top')).toBe('1000')
    // the filter travels percent-encoded: no raw spaces or quotes in the request target
    expect(graphRequests()[0].target).not.toMatch(/[ ']/)
    // later pages are the nextLinks, verbatim
    expect(graphRequests()[1].target).toMatch(/\$skiptoken=[0-9a-f]{32}$/)
    // one token for the whole pull
    expect(fake.tokensIssued()).toBe(1)
  })

  it('asks for [from, to) only', async () => {
    const slice = { from: new Date('2026-02-17T13:00:00Z'), to: new Date('2026-02-17T14:00:00Z') }
    const inside = signIns.filter((s) => {
      const t = Date.parse(String(s.createdDateTime))
      return t >= slice.from.getTime() && t < slice.to.getTime()
    })
    expect(inside.length).toBeGreaterThan(0)
    expect(ids(await records(graphFetcher.fetchSlice(slice, setup().context)))).toEqual(ids(inside))
    expect(signInsUrl('https://graph.microsoft.com', { from: new Date('2026-03-02T10:00:00.250Z'), to: new Date('2026-03-02T11:00:00Z') })).toContain(
      encodeURIComponent('createdDateTime ge 2026-03-02T10:00:00.250Z and createdDateTime lt 2026-03-02T11:00:00Z'),
    )
  })

  it('waits out a 429 for exactly its Retry-After, then goes on', async () => {
    fake.graph.throttle = { requests: [3], retryAfterSeconds: 7 }
    const { context, sleeps } = setup()
    const pulled = await records(graphFetcher.fetchSlice(DAY, context))
    expect(sleeps).toEqual([7000])
    expect(graphRequests().map((r) => r.status)).toEqual([200, 200, 429, 200, 200, 200])
    expect(ids(pulled)).toEqual(ids(signIns))
  })

  it('gets a new token when the one in use expires mid-pull, and loses no page', async () => {
    let expired = false
    const { context } = setup({
      onProgress: ({ pages }) => {
        // an hour passes while page 2 is processed: the cached token is dead on Graph's side
        if (pages === 2 && !expired) {
          expired = true
          fake.advanceClock(3_600_000)
        }
      },
    })
    const pulled = await records(graphFetcher.fetchSlice(DAY, context))
    expect(ids(pulled)).toEqual(ids(signIns))
    expect(graphRequests().map((r) => r.status)).toEqual([200, 200, 401, 200, 200, 200])
    expect(fake.tokensIssued()).toBe(2)
  })

  it('keeps one token for all slices of a run', async () => {
    const { context } = setup()
    await records(graphFetcher.fetchSlice({ from: DAY.from, to: new Date('2026-02-17T12:00:00Z') }, context))
    await records(graphFetcher.fetchSlice({ from: new Date('2026-02-17T12:00:00Z'), to: DAY.to }, context))
    expect(fake.tokensIssued()).toBe(1)
  })

  it('fails on a second 401 instead of looping', async () => {
    const { context } = setup()
    fake.tokenLifetimeSeconds = 0 // dead on arrival, however often the fetcher asks for a new one
    await expect(records(graphFetcher.fetchSlice(DAY, context))).rejects.toThrow(/rejected a freshly issued token \(401 InvalidAuthenticationToken: Lifetime validation failed/)
    expect(graphRequests().map((r) => r.status)).toEqual([401, 401])
  })

  it('does not follow a nextLink to another host', async () => {
    let contacted = 0
    const elsewhere = http.createServer((_request, response) => {
      contacted++
      response.end('{}')
    })
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve))
    try {
      fake.graph.nextLinkOrigin = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`
      const pulled: Buffer[] = []
      const pull = async () => {
        for await (const chunk of graphFetcher.fetchSlice(DAY, setup().context)) pulled.push(chunk)
      }
      await expect(pull()).rejects.toThrow(/refused: @odata\.nextLink points at http:\/\/127\.0\.0\.1:\d+, not at the configured Graph endpoint/)
      expect(contacted).toBe(0)
      expect(pulled).toHaveLength(1) // the first page came from the right host
    } finally {
      await new Promise((resolve) => elsewhere.close(resolve))
    }
  })

  it('refuses a Graph URL outside the connector’s hosts before sending anything', async () => {
    const { context } = setup()
    context.http = { ...context.http, allowedHosts: new Set(['graph.microsoft.com', 'login.microsoftonline.com']) }
    await expect(records(graphFetcher.fetchSlice(DAY, context))).rejects.toThrow(/refused: 127\.0\.0\.1:\d+ is not one of this connector's hosts/)
    expect(fake.requests).toEqual([])
  })

  describe('test connection', () => {
    it('succeeds with a token and one page of $top=1', async () => {
      const result = await graphFetcher.testConnection(setup().context)
      expect(result).toEqual({ ok: true, message: `connected: app ${app.clientId} may read the sign-in logs of tenant ${app.tenantId} (no sign-ins in the last 24 hours)` })
      expect(new URL(graphRequests()[0].target, fake.url).searchParams.get('$top')).toBe('1')
    })

    it('names a wrong secret', async () => {
      const result = await graphFetcher.testConnection(setup({ secret: 'a-wrong-secret' }).context)
      expect(result.ok).toBe(false)
      expect(result.message).toMatch(/^no token for app .* the client secret is wrong or expired \(invalid_client: AADSTS7000215/)
      expect(graphRequests()).toEqual([])
    })

    it('names an unknown tenant', async () => {
      const result = await graphFetcher.testConnection(setup({ tenantId: 'fabrikam.onmicrosoft.com' }).context)
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/the tenant was not found \(invalid_request: AADSTS90002/) })
    })

    it('names the missing AuditLog.Read.All permission', async () => {
      fake.graph.permitted = false
      const result = await graphFetcher.testConnection(setup().context)
      expect(result.ok).toBe(false)
      expect(result.message).toMatch(/403 Authorization_RequestDenied: Insufficient privileges.*AuditLog\.Read\.All application permission.*grant admin consent/)
    })

    it('explains a tenant without Entra ID P1/P2 and the upload fallback', async () => {
      fake.graph.premium = false
      const result = await graphFetcher.testConnection(setup().context)
      expect(result.ok).toBe(false)
      expect(result.message).toMatch(/Authentication_RequestFromNonPremiumTenantOrB2CTenant.*Microsoft Entra ID P1 or P2 licence.*upload the files here/)
    })
  })

  describe('into a dataset', () => {
    async function pull(dataset: string) {
      const { id } = await findOrCreateDataset(dataset)
      return ingest({ datasetId: id, fileName: `graph ${DAY.from.toISOString()}`, source: graphFetcher.fetchSlice(DAY, setup().context), origin: 'connector' })
    }

    async function stored(dataset: string) {
      const { id } = await findOrCreateDataset(dataset)
      return query<{ source_event_id: string; created_at: Date; user_principal_name: string; ip: string; error_code: string; source_format: string }>(
        `SELECT coalesce(source_event_uuid::text, source_event_id) AS source_event_id, created_at, user_principal_name, host(ip_address) AS ip, error_code, b.source_format
           FROM sign_in_events JOIN sign_in_record_blocks b ON b.dataset_id = sign_in_events.dataset_id AND b.block_id = sign_in_events.record_block WHERE sign_in_events.dataset_id = $1 ORDER BY 1`,
        [id],
      )
    }

    const expected = signIns
      .map((s) => ({
        source_event_id: String(s.id),
        created_at: new Date(Date.parse(String(s.createdDateTime))),
        user_principal_name: String(s.userPrincipalName).toLowerCase(),
        ip: String(s.ipAddress),
        error_code: String((s.status as { errorCode: number }).errorCode),
        source_format: 'graph',
      }))
      .sort((a, b) => (a.source_event_id < b.source_event_id ? -1 : 1))

    it('stores exactly what Graph served, once, and nothing more when the slice comes again', async () => {
      const first = await pull('graph-e2e')
      expect(first).toMatchObject({ status: 'succeeded', format: 'graph', rowsRead: 81, rowsInserted: 81, rowsDuplicate: 0, rowsRejected: 0 })
      expect(await stored('graph-e2e')).toEqual(expected)

      const again = await pull('graph-e2e')
      expect(again).toMatchObject({ status: 'succeeded', rowsRead: 81, rowsInserted: 0, rowsDuplicate: 81 })
      expect(await stored('graph-e2e')).toEqual(expected)
    })

    it('a page that fails mid-way fails the import and stores nothing; the retry stores everything once', async () => {
      fake.graph.fail = { request: 3 }
      const failed = await pull('graph-midway')
      expect(failed.status).toBe('failed')
      expect(failed.error).toMatch(/Microsoft Graph answered 500 \(UnknownError/)
      expect((await job(failed.jobId)).status).toBe('failed')
      expect(await stored('graph-midway')).toEqual([])

      const retried = await pull('graph-midway')
      expect(retried).toMatchObject({ status: 'succeeded', rowsInserted: 81 })
      expect(await stored('graph-midway')).toEqual(expected)
    })
  })
})
