import net from 'node:net'
import { readSupervisorStatus } from '@/lib/db/embedded-status'

/**
 * Whether the database can take requests, cheaply enough to ask on every page request: the
 * embedded supervisor's state when there is one, and a TCP connection to the database's port,
 * each answer kept for a second. No query and no pool: a dead database must not make the
 * question itself wait.
 */
export type DatabaseAvailability = { available: true } | { available: false; reason: 'restarting' | 'failed' | 'unreachable' }

const CACHE_MS = 1000
const CONNECT_TIMEOUT_MS = 750

let cached: { at: number; answer: Promise<DatabaseAvailability> } | null = null

function databaseAddress(url: string | undefined): { host: string; port: number } | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1'
    // A Unix socket (host=/path in the query) cannot be probed over TCP: assumed reachable.
    if (parsed.searchParams.get('host')?.startsWith('/')) return null
    return { host, port: Number(parsed.port || 5432) }
  } catch {
    return null
  }
}

export function tcpReachable(host: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    let settled = false
    const done = (ok: boolean) => {
      if (settled) return
      settled = true
      socket.destroy()
      resolve(ok)
    }
    // The timer can fire late with the connection already made: a busy server (20 pages rendering
    // at once) blocks the event loop longer than the timeout, and timers run before the I/O
    // callbacks that would report the connection. setImmediate runs after those callbacks, so a
    // connection that did succeed wins, and a loaded server does not answer 503 "database unreachable".
    socket.setTimeout(timeoutMs, () => setImmediate(() => done(false)))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

async function probe(): Promise<DatabaseAvailability> {
  const supervisor = readSupervisorStatus()
  if (supervisor && supervisor.state !== 'running') return { available: false, reason: supervisor.state }
  const address = databaseAddress(process.env.DATABASE_URL)
  if (address && !(await tcpReachable(address.host, address.port))) return { available: false, reason: supervisor ? 'restarting' : 'unreachable' }
  return { available: true }
}

export function databaseAvailability(): Promise<DatabaseAvailability> {
  const now = Date.now()
  if (!cached || now - cached.at > CACHE_MS) cached = { at: now, answer: probe() }
  return cached.answer
}

export function unavailableMessage(reason: 'restarting' | 'failed' | 'unreachable'): string {
  switch (reason) {
    case 'restarting':
      return 'The database is restarting. This page will try again in a few seconds.'
    case 'failed':
      return 'The database could not be restarted yet; the server keeps trying. An administrator should look at the server log.'
    default:
      return 'The database cannot be reached. This page will try again in a few seconds.'
  }
}
