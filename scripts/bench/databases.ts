import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedServer } from '@/lib/db/embedded-postgres'

/**
 * The bench's own databases: created fresh on DATABASE_URL's server (or the embedded one when
 * DATABASE_URL is unset), uniquely named because others run tests on the same server, and
 * dropped at the end.
 */

export interface BenchServer {
  /** A URL on the server that may create and drop databases. */
  adminUrl: string
  embedded: EmbeddedServer | null
}

export async function openServer(): Promise<BenchServer> {
  const url = process.env.DATABASE_URL
  if (url) return { adminUrl: url, embedded: null }
  const embedded = await startEmbeddedPostgres()
  return { adminUrl: embedded.url, embedded }
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}

export function uniqueDatabaseName(): string {
  return `et_bench_${randomBytes(5).toString('hex')}`
}

async function admin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

// Names come from uniqueDatabaseName() (hex only); identifiers cannot be bound parameters.
function checkedName(name: string): string {
  if (!/^et_bench_[0-9a-f]+(_[a-z]+)?$/.test(name)) throw new Error(`unexpected bench database name ${name}`)
  return name
}

export function createDatabase(adminUrl: string, name: string): Promise<void> {
  return admin(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE ${checkedName(name)}`)
  })
}

export function dropDatabase(adminUrl: string, name: string): Promise<void> {
  return admin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${checkedName(name)} WITH (FORCE)`)
  })
}

export interface ServerFacts {
  version: string
  settings: Record<string, string>
}

export function serverFacts(url: string): Promise<ServerFacts> {
  return admin(url, async (client) => {
    const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0].v
    const names = ['shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'jit', 'max_parallel_workers_per_gather']
    const { rows } = await client.query<{ name: string; setting: string }>(
      'SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1)',
      [names],
    )
    return { version, settings: Object.fromEntries(rows.map((r) => [r.name, r.setting])) }
  })
}

/** Flushes dirty buffers so that one timed load does not pay for the previous one's checkpoint. */
export function checkpoint(url: string): Promise<void> {
  return admin(url, async (client) => {
    await client.query('CHECKPOINT')
  })
}
