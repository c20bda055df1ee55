import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tcpReachable } from '@/lib/health/database-probe'

// The database gate (proxy.ts) asks this on page requests. Under load the event loop can be blocked
// longer than the connect timeout; a connection made meanwhile must still count as reachable, or
// every page answers 503 "database unreachable" while the database is fine.
let server: net.Server
let port: number

beforeAll(async () => {
  server = net.createServer((socket) => socket.end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as net.AddressInfo).port
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function blockEventLoop(ms: number): void {
  const end = Date.now() + ms
  while (Date.now() < end) {
    // busy, as a server rendering pages is
  }
}

describe('tcpReachable', () => {
  it('answers reachable for a listening port', async () => {
    expect(await tcpReachable('127.0.0.1', port, 500)).toBe(true)
  })

  it('answers reachable when the event loop was blocked past the timeout while the connection was made', async () => {
    const answer = tcpReachable('127.0.0.1', port, 50)
    blockEventLoop(200)
    expect(await answer).toBe(true)
  })

  it('answers unreachable for a closed port', async () => {
    const probe = net.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const closed = (probe.address() as net.AddressInfo).port
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    expect(await tcpReachable('127.0.0.1', closed, 500)).toBe(false)
  })
})
