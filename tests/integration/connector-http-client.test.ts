import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectorFetchText, newRequestStats } from '@/lib/connectors/http-client'

// The connectors' HTTP client on its own: compressed answers, cut compressed answers retried,
// redirects never followed, every request and retry counted.
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'

const body = JSON.stringify({ value: Array.from({ length: 2000 }, (_, i) => ({ id: i, userAgent: 'Mozilla/5.0 '.repeat(5) })) })
const gz = gzipSync(body)
let hits = 0
let server: http.Server
let base = ''

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hits++
    if (request.url === '/gzip') {
      expect(request.headers['accept-encoding']).toMatch(/gzip/)
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(gz.length) }).end(gz)
    } else if (request.url === '/cut-gzip') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(gz.length) })
      // The first answer stops half-way; the retry gets it all.
      if (hits === 1) response.write(gz.subarray(0, gz.length >> 1), () => response.socket?.destroy())
      else response.end(gz)
    } else if (request.url === '/redirect') {
      response.writeHead(302, { location: `${base}/gzip` }).end()
    } else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

const options = () => {
  const stats = newRequestStats()
  const sleeps: number[] = []
  return { stats, sleeps, http: { allowedHosts: new Set([new URL(base).host]), stats, sleep: async (ms: number) => void sleeps.push(ms) } }
}

describe('connector HTTP client', () => {
  it('asks for and decodes compressed answers', async () => {
    hits = 0
    const { http: o, stats } = options()
    const answer = await connectorFetchText(`${base}/gzip`, { method: 'GET' }, o)
    expect(answer.text).toBe(body)
    expect(answer.headers.get('content-encoding')).toBeNull()
    expect(stats).toMatchObject({ requests: 1, retries: { cutBody: 0 } })
  })

  it('retries a compressed answer cut off mid-way, with backoff, and passes on only the whole one', async () => {
    hits = 0
    const { http: o, stats, sleeps } = options()
    const answer = await connectorFetchText(`${base}/cut-gzip`, { method: 'GET' }, o)
    expect(answer.text).toBe(body)
    expect(stats).toMatchObject({ requests: 2, retries: { cutBody: 1 } })
    expect(sleeps).toEqual([1000])
  })

  it('does not follow a redirect', async () => {
    hits = 0
    const { http: o } = options()
    const answer = await connectorFetchText(`${base}/redirect`, { method: 'GET' }, o)
    expect(answer.status).toBe(302)
    expect(hits).toBe(1)
  })
})
