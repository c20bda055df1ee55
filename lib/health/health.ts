import pg from 'pg'
import { readSupervisorStatus } from '@/lib/db/embedded-status'

/**
 * What /api/health reports: which part is up. Readable without signing in, so it says nothing
 * an attacker could use: no host, port, version, user or error text, only states and times.
 */
export interface Health {
  status: 'ok' | 'degraded' | 'down'
  checkedAt: string
  app: { status: 'up' }
  database: { status: 'up' | 'down'; responseMs: number | null }
  embeddedDatabaseSupervisor:
    | { status: 'not used' }
    | { status: 'running' | 'restarting' | 'failed'; since: string; restarts: number; lastExit: string | null }
}

const QUERY_TIMEOUT_MS = 2000

async function databaseResponds(url: string | undefined): Promise<number | null> {
  if (!url) return null
  const started = Date.now()
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: QUERY_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, application_name: 'enumeration-triage-health' })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return Date.now() - started
  } catch {
    return null
  } finally {
    await client.end().catch(() => {})
  }
}

export async function checkHealth(databaseUrl: string | undefined = process.env.DATABASE_URL): Promise<Health> {
  const supervisor = readSupervisorStatus()
  const responseMs = await databaseResponds(databaseUrl)
  const database = { status: responseMs === null ? ('down' as const) : ('up' as const), responseMs }
  return {
    status: database.status === 'down' ? 'down' : supervisor && supervisor.state !== 'running' ? 'degraded' : 'ok',
    checkedAt: new Date().toISOString(),
    app: { status: 'up' },
    database,
    embeddedDatabaseSupervisor: supervisor ? { status: supervisor.state, since: supervisor.since, restarts: supervisor.restarts, lastExit: supervisor.lastExit } : { status: 'not used' },
  }
}
