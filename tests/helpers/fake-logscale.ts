import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { formatSamplesDir } from './paths'

/**
 * A LogScale streaming search endpoint (docs/reference/signin-formats.md §4.4) on 127.0.0.1:
 * POST /api/v1/repositories/{repo}/query with a bearer API token and
 * {queryString, start, end} in epoch ms answers the repository's events with
 * start <= @timestamp < end — as NDJSON when asked for application/x-ndjson, written in small
 * pieces that cut lines in two, else as one JSON array. The query string is recorded, not
 * evaluated. Faults: one 429 with Retry-After, a connection that breaks off mid-stream once, and
 * per query number (1-based, every query counted, retries too): a stream cut in the middle of an
 * event, a stream dropped after N whole events, a connection reset before any answer, a 503.
 * An API token does not expire on its own; a test "expires" it by changing `token`.
 */

export interface LogScaleBehaviour {
  repository: string
  token: string
  /** Tokens that exist but may not search this repository (403). */
  readOnlyElsewhereTokens?: string[]
  events: Record<string, unknown>[]
  /** Bytes per write: small, so events arrive split across chunks. */
  chunkBytes?: number
  /** The next query is answered 429 with this Retry-After. */
  throttleOnce?: { retryAfterSeconds: number }
  /** The next query's stream stops dead after this many events. */
  breakOnce?: { afterEvents: number }
  /** Faults by query number. */
  faults?: {
    /** The stream stops in the middle of an event half-way through the answer. */
    cutMidEvent?: number[]
    /** The stream stops after this many whole events. */
    drop?: { query: number; afterEvents: number }[]
    /** The connection is reset before any answer. */
    reset?: number[]
    /** Answered 503. */
    unavailable?: number[]
  }
}

export interface LoggedQuery {
  repository: string
  accept: string
  authorization: string
  body: { queryString?: unknown; start?: unknown; end?: unknown; isLive?: unknown }
  status: number
}

export interface FakeLogScale {
  url: string
  behaviour: LogScaleBehaviour
  queries: LoggedQuery[]
  stop(): Promise<void>
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

export async function startFakeLogScale(behaviour: LogScaleBehaviour): Promise<FakeLogScale> {
  const fake: FakeLogScale = { url: '', behaviour, queries: [], stop: () => new Promise((resolve) => server.close(() => resolve())) }

  async function stream(response: http.ServerResponse, events: Record<string, unknown>[], queryNumber: number): Promise<void> {
    const lines = events.map((e) => `${JSON.stringify(e)}\n`)
    let breakAfter = fake.behaviour.breakOnce?.afterEvents ?? fake.behaviour.faults?.drop?.find((d) => d.query === queryNumber)?.afterEvents
    fake.behaviour.breakOnce = undefined
    let text = (breakAfter === undefined ? lines : lines.slice(0, breakAfter)).join('')
    if (fake.behaviour.faults?.cutMidEvent?.includes(queryNumber)) {
      // Half the answer, ending inside an event (unless the half falls on a line end: then one byte less).
      let half = Math.floor(text.length / 2)
      if (text[half - 1] === '\n') half--
      text = text.slice(0, half)
      breakAfter = -1
    }
    // Chunked, no Content-Length, as a search that streams its results.
    response.writeHead(200, { 'content-type': 'application/x-ndjson' })
    const size = fake.behaviour.chunkBytes ?? 700
    for (let i = 0; i < text.length; i += size) {
      response.write(text.slice(i, i + size))
      await tick()
    }
    if (breakAfter !== undefined && breakAfter < lines.length) response.socket?.destroy()
    else response.end()
  }

  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const url = new URL(request.url ?? '/', fake.url)
    const route = /^\/api\/v1\/repositories\/([^/]+)\/query$/.exec(url.pathname)
    if (!route || request.method !== 'POST') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
      return
    }
    let body: LoggedQuery['body'] = {}
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoggedQuery['body']
    } catch {
      // logged as {} and refused below
    }
    const logged: LoggedQuery = {
      repository: decodeURIComponent(route[1]),
      accept: request.headers.accept ?? '',
      authorization: request.headers.authorization ?? '',
      body,
      status: 0,
    }
    fake.queries.push(logged)
    const queryNumber = fake.queries.length
    if (fake.behaviour.faults?.reset?.includes(queryNumber)) {
      response.socket?.destroy()
      return
    }
    if (fake.behaviour.faults?.unavailable?.includes(queryNumber)) {
      logged.status = 503
      response.writeHead(503, { 'content-type': 'text/plain' }).end('Service unavailable')
      return
    }
    const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
      logged.status = status
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text)
    }

    const { behaviour: b } = fake
    if (b.throttleOnce) {
      const retryAfter = b.throttleOnce.retryAfterSeconds
      b.throttleOnce = undefined
      return answer(429, 'Too many requests', { 'retry-after': String(retryAfter) })
    }
    const token = /^Bearer (\S+)$/.exec(logged.authorization)?.[1]
    if (!token || (token !== b.token && !b.readOnlyElsewhereTokens?.includes(token))) return answer(401, 'The supplied API token is not valid.')
    if (logged.repository !== b.repository) return answer(404, `Repository or view '${logged.repository}' was not found.`)
    if (token !== b.token) return answer(403, `The token does not have permission to search '${logged.repository}'.`)
    const { queryString, start, end } = body
    if (typeof queryString !== 'string' || typeof start !== 'number' || typeof end !== 'number') return answer(400, 'queryString, start and end (epoch milliseconds) are required.')

    const events = b.events.filter((e) => {
      const t = Number(e['@timestamp'])
      return t >= start && t < end
    })
    logged.status = 200
    if (!logged.accept.includes('application/x-ndjson')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(events))
      return
    }
    await stream(response, events, queryNumber)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}

/** The 81 LogScale events of the format samples (flattened sign-ins, @timestamp in epoch ms). */
export function sampleLogScaleEvents(): Record<string, unknown>[] {
  return readFileSync(path.join(formatSamplesDir, 'logscale', 'entra-signins.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}
