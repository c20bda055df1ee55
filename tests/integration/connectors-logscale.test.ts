import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { allowedHosts, parseSettings } from '@/lib/connectors/connector-settings'
import { logscaleFetcher, SIGN_IN_QUERY } from '@/lib/connectors/fetchers/logscale'
import { newRequestStats } from '@/lib/connectors/http-client'
import type { FetchContext, Slice } from '@/lib/connectors/slice-fetcher'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { ingest } from '@/lib/ingest/pipeline'
import { job, query } from '../helpers/ingest-kit'
import { sampleLogScaleEvents, startFakeLogScale, type FakeLogScale } from '../helpers/fake-logscale'
import { useTestDatabase } from '../helpers/test-database'

// The fetcher against a fake LogScale (tests/helpers/fake-logscale.ts); the HTTP client,
// pipeline and database are the real ones.
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
useTestDatabase()

const TOKEN = 'logscale-api-token'
const DAY: Slice = { from: new Date('2026-02-17T00:00:00Z'), to: new Date('2026-02-18T00:00:00Z') }
const events = sampleLogScaleEvents()

let fake: FakeLogScale

beforeEach(async () => {
  fake = await startFakeLogScale({ repository: 'entra', token: TOKEN, readOnlyElsewhereTokens: ['token-of-another-repo'], events })
})
afterEach(async () => {
  await fake.stop()
})

function setup(options: { secret?: string; repository?: string; onProgress?: FetchContext['onProgress'] } = {}) {
  const settings = parseSettings('logscale', { baseUrl: fake.url, repository: options.repository ?? 'entra' }) as Record<string, string>
  const sleeps: number[] = []
  const context: FetchContext = {
    settings,
    secret: options.secret ?? TOKEN,
    http: { allowedHosts: allowedHosts('logscale', settings), sleep: async (ms) => void sleeps.push(ms) },
    onProgress: options.onProgress,
  }
  return { context, sleeps }
}

async function chunksOf(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = []
  for await (const chunk of source) chunks.push(chunk)
  return chunks
}

function linesOf(chunks: Buffer[]): Record<string, unknown>[] {
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

const ids = (list: Record<string, unknown>[]) => list.map((e) => String(e.id)).sort()

describe('LogScale fetcher', () => {
  it('streams the slice’s events through as NDJSON, whole lines per chunk, as they arrive', async () => {
    const progress: number[] = []
    const { context, sleeps } = setup({ onProgress: (p) => progress.push(p.records) })
    const chunks = await chunksOf(logscaleFetcher.fetchSlice(DAY, context))

    expect(linesOf(chunks)).toEqual(events) // the events verbatim, in the order served
    // the server wrote 700-byte pieces: they were passed on one by one, not gathered first
    expect(chunks.length).toBeGreaterThan(20)
    for (const chunk of chunks) expect(chunk.at(-1)).toBe(0x0a) // never half an event
    expect(progress.at(-1)).toBe(81)
    expect(progress.length).toBe(chunks.length)
    expect(sleeps).toEqual([])

    expect(fake.queries).toHaveLength(1)
    expect(fake.queries[0]).toMatchObject({
      repository: 'entra',
      accept: 'application/x-ndjson',
      authorization: `Bearer ${TOKEN}`,
      body: { queryString: SIGN_IN_QUERY, start: DAY.from.getTime(), end: DAY.to.getTime(), isLive: false },
      status: 200,
    })
  })

  it('slice after slice, every event comes exactly once', async () => {
    const { context } = setup()
    const pulled: Record<string, unknown>[] = []
    for (let hour = 0; hour < 24; hour++) {
      const from = new Date(DAY.from.getTime() + hour * 3_600_000)
      pulled.push(...linesOf(await chunksOf(logscaleFetcher.fetchSlice({ from, to: new Date(from.getTime() + 3_600_000) }, context))))
    }
    expect(pulled).toHaveLength(81)
    expect(ids(pulled)).toEqual(ids(events))
  })

  it('passes on a last event that has no newline', async () => {
    // the fake always ends its lines; this server leaves the last one open, as NDJSON allows
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' })
      response.end(events.slice(0, 3).map((e) => JSON.stringify(e)).join('\n'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const settings = parseSettings('logscale', { baseUrl: `http://127.0.0.1:${port}`, repository: 'entra' }) as Record<string, string>
      const chunks = await chunksOf(logscaleFetcher.fetchSlice(DAY, { settings, secret: TOKEN, http: { allowedHosts: allowedHosts('logscale', settings) } }))
      expect(linesOf(chunks)).toEqual(events.slice(0, 3))
      expect(Buffer.concat(chunks).toString('utf8').endsWith('}\n')).toBe(true)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('waits out a 429 for exactly its Retry-After', async () => {
    fake.behaviour.throttleOnce = { retryAfterSeconds: 4 }
    const { context, sleeps } = setup()
    const pulled = linesOf(await chunksOf(logscaleFetcher.fetchSlice(DAY, context)))
    expect(sleeps).toEqual([4000])
    expect(fake.queries.map((q) => q.status)).toEqual([429, 200])
    expect(pulled).toEqual(events)
  })

  it('a stream that breaks off is queried again from the start of the slice, with backoff; out of retries it is an error, not a short slice', async () => {
    fake.behaviour.breakOnce = { afterEvents: 40 }
    const { context, sleeps } = setup()
    const stats = newRequestStats()
    context.http = { ...context.http, stats }
    const pulled = linesOf(await chunksOf(logscaleFetcher.fetchSlice(DAY, context)))
    expect(fake.queries.map((q) => q.status)).toEqual([200, 200])
    expect(sleeps).toEqual([1000])
    expect(stats).toMatchObject({ requests: 2, retries: { cutBody: 1 } })
    // the 40 events of the broken stream come again; the import keeps each once
    expect(ids(pulled.slice(0, 40))).toEqual(ids(events.slice(0, 40)))
    expect(ids(pulled.slice(40))).toEqual(ids(events))

    fake.behaviour.breakOnce = { afterEvents: 40 }
    const once = setup().context
    once.http = { ...once.http, maxRetries: 0 }
    await expect(chunksOf(logscaleFetcher.fetchSlice(DAY, once))).rejects.toThrow(/the LogScale result stream broke off after 40 events/)
  })

  it('refuses a base URL outside the connector’s hosts before sending anything', async () => {
    const { context } = setup()
    context.http = { ...context.http, allowedHosts: new Set(['cloud.community.humio.com']) }
    await expect(chunksOf(logscaleFetcher.fetchSlice(DAY, context))).rejects.toThrow(/refused: 127\.0\.0\.1:\d+ is not one of this connector's hosts/)
    expect(fake.queries).toEqual([])
  })

  describe('test connection', () => {
    it('runs a bounded query over the last minute', async () => {
      const before = Date.now()
      const result = await logscaleFetcher.testConnection(setup().context)
      expect(result).toEqual({ ok: true, message: `connected: the token may search repository entra at ${fake.url}` })
      const { start, end, queryString } = fake.queries[0].body as { start: number; end: number; queryString: string }
      expect(end - start).toBe(60_000)
      expect(end).toBeGreaterThanOrEqual(before)
      expect(queryString).toBe(`${SIGN_IN_QUERY} | head(1)`)
    })

    it('names a bad token (401)', async () => {
      const result = await logscaleFetcher.testConnection(setup({ secret: 'not-a-token' }).context)
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^LogScale rejected the API token \(401 .*create a new one/) })
    })

    it('names a token without access to the repository (403)', async () => {
      const result = await logscaleFetcher.testConnection(setup({ secret: 'token-of-another-repo' }).context)
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^LogScale refused \(403 .*may not search repository entra/) })
    })

    it('names an unknown repository (404)', async () => {
      const result = await logscaleFetcher.testConnection(setup({ repository: 'entra-typo' }).context)
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^LogScale has no repository or view named entra-typo at http:\/\/127\.0\.0\.1:\d+ \(404/) })
    })
  })

  describe('into a dataset', () => {
    async function pull(dataset: string, maxRetries?: number) {
      const { id } = await findOrCreateDataset(dataset)
      const { context } = setup()
      context.http = { ...context.http, maxRetries }
      return ingest({ datasetId: id, fileName: `logscale ${DAY.from.toISOString()}`, source: logscaleFetcher.fetchSlice(DAY, context), origin: 'connector' })
    }

    async function stored(dataset: string) {
      const { id } = await findOrCreateDataset(dataset)
      return query(
        `SELECT coalesce(source_event_uuid::text, source_event_id) AS source_event_id, created_at, user_principal_name, host(ip_address) AS ip, error_code, is_interactive, b.source_format
           FROM sign_in_events JOIN sign_in_record_blocks b ON b.dataset_id = sign_in_events.dataset_id AND b.block_id = sign_in_events.record_block WHERE sign_in_events.dataset_id = $1 ORDER BY 1`,
        [id],
      )
    }

    const expected = events
      .map((e) => ({
        source_event_id: String(e.id),
        created_at: new Date(Number(e['@timestamp'])),
        user_principal_name: String(e.userPrincipalName).toLowerCase(),
        ip: String(e.ipAddress),
        error_code: String(e.resultType),
        is_interactive: e.category === 'SignInLogs',
        source_format: 'logscale',
      }))
      .sort((a, b) => (a.source_event_id < b.source_event_id ? -1 : 1))

    it('stores exactly what LogScale served, once, and nothing more when the slice comes again', async () => {
      const first = await pull('logscale-e2e')
      expect(first).toMatchObject({ status: 'succeeded', format: 'logscale', rowsRead: 81, rowsInserted: 81, rowsRejected: 0 })
      expect(await stored('logscale-e2e')).toEqual(expected)

      const again = await pull('logscale-e2e')
      expect(again).toMatchObject({ status: 'succeeded', rowsRead: 81, rowsInserted: 0, rowsDuplicate: 81 })
      expect(await stored('logscale-e2e')).toEqual(expected)
    })

    it('a stream breaking off mid-way is queried again inside the import: every event stored once', async () => {
      fake.behaviour.breakOnce = { afterEvents: 50 }
      const retriedInside = await pull('logscale-retried')
      expect(retriedInside).toMatchObject({ status: 'succeeded', rowsInserted: 81, rowsDuplicate: 50 })
      expect(await stored('logscale-retried')).toEqual(expected)
    })

    it('out of retries, a stream breaking off mid-way fails the import and stores nothing; the next pull stores everything once', async () => {
      fake.behaviour.breakOnce = { afterEvents: 50 }
      const failed = await pull('logscale-midway', 0)
      expect(failed.status).toBe('failed')
      expect(failed.error).toMatch(/the LogScale result stream broke off after \d+ events/)
      expect((await job(failed.jobId)).status).toBe('failed')
      expect(await stored('logscale-midway')).toEqual([])

      const retried = await pull('logscale-midway')
      expect(retried).toMatchObject({ status: 'succeeded', rowsInserted: 81 })
      expect(await stored('logscale-midway')).toEqual(expected)
    })
  })
})
