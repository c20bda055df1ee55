import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRoute, type AppServer } from '../../scripts/bench/pages'

/**
 * The bench's load generator (scripts/bench/pages.ts) against a local server that answers as
 * the app does: it must send the session cookie, ask for compression as a browser does, keep
 * its connections alive, count what did not answer 200, and read every body to its end.
 */
describe('loadRoute', () => {
  let server: http.Server
  let app: AppServer
  const seen = { requests: 0, connections: 0, cookies: new Set<string>(), encodings: new Set<string>() }

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      seen.requests++
      seen.cookies.add(request.headers.cookie ?? '')
      seen.encodings.add(request.headers['accept-encoding'] ?? '')
      if (request.url === '/slow') {
        setTimeout(() => response.end('x'.repeat(200_000)), 20)
        return
      }
      response.statusCode = request.url === '/fails' ? 500 : 200
      response.end('ok')
    })
    server.on('connection', () => seen.connections++)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    app = { origin: `http://127.0.0.1:${port}`, cookie: 'et_session=abc', stop: async () => {} }
  })

  afterAll(async () => {
    server.closeAllConnections()
    server.close()
  })

  it('sends the session and gzip as a browser does, over kept-alive connections', async () => {
    const before = { requests: seen.requests, connections: seen.connections }
    const timing = await loadRoute(app, '/ok', 4, 0.3)
    expect(timing.route).toBe('/ok')
    expect(timing.errors).toBe(0)
    // the warm-up request is not counted
    expect(timing.requests).toBe(seen.requests - before.requests - 1)
    expect(timing.requests).toBeGreaterThan(20)
    expect(seen.connections - before.connections).toBeLessThanOrEqual(4)
    expect([...seen.cookies]).toEqual(['et_session=abc'])
    expect([...seen.encodings]).toEqual(['gzip, deflate, br'])
    expect(timing.p50).toBeLessThanOrEqual(timing.p95)
    expect(timing.p95).toBeLessThanOrEqual(timing.p99)
  })

  it('measures until the whole body is read', async () => {
    const timing = await loadRoute(app, '/slow', 2, 0.3)
    expect(timing.errors).toBe(0)
    expect(timing.p50).toBeGreaterThanOrEqual(19)
  })

  it('refuses a route that does not answer 200', async () => {
    await expect(loadRoute(app, '/fails', 2, 0.2)).rejects.toThrow('GET /fails did not answer 200')
  })
})
