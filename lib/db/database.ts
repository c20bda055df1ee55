import pg from 'pg'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '@/lib/generated/prisma/client'
import type { EmbeddedServer } from './embedded-postgres'
import { migrate, type MigrateResult } from './migrate'

/**
 * One place that decides which PostgreSQL the process talks to: DATABASE_URL when set,
 * otherwise the embedded server. Migrations are applied on first use, so a fresh database
 * just works for the app, the CLI and the tests alike.
 */

interface Connection {
  url: string
  migrations: MigrateResult
  pool: pg.Pool
  prisma: PrismaClient
  embedded: EmbeddedServer | null
}

// Survives Next.js dev-mode module reloads, which would otherwise open a pool per edit.
const globalState = globalThis as unknown as { __enumerationTriageDb?: Promise<Connection> }

async function connect(): Promise<Connection> {
  let url = process.env.DATABASE_URL
  let embedded: EmbeddedServer | null = null
  if (!url) {
    // Loaded only when needed: the package installs process exit hooks as a side effect.
    const { startEmbeddedPostgres } = await import('./embedded-postgres')
    embedded = await startEmbeddedPostgres()
    url = embedded.url
    process.env.DATABASE_URL = url
  }
  const migrations = await migrate(url)
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.ET_DB_POOL_SIZE ?? 10),
    application_name: 'enumeration-triage',
    // Hours are UTC hours everywhere (the rollup's buckets are made in Node), but the SQL's
    // date_trunc('hour', …) of a timestamptz truncates in the session's time zone: on a server
    // whose default is a half-hour zone (Asia/Kolkata, Australia/Adelaide) it would cut other
    // hours. Every session of the app is UTC, whatever the server's default.
    options: '-c TimeZone=UTC',
  })
  // A client losing its server (restart, network) must not crash the process: idle ones report
  // to the pool, and a checked-out one (an import's transaction) would otherwise raise an
  // unhandled 'error' event; its query fails on its own.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) })
  return { url, migrations, pool, prisma, embedded }
}

function connection(): Promise<Connection> {
  globalState.__enumerationTriageDb ??= connect().catch((error) => {
    globalState.__enumerationTriageDb = undefined
    throw error
  })
  return globalState.__enumerationTriageDb
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await connection()).prisma
}

export async function getPool(): Promise<pg.Pool> {
  return (await connection()).pool
}

export async function getDatabaseUrl(): Promise<string> {
  return (await connection()).url
}

/** The embedded server this process uses (null with DATABASE_URL). */
export async function getEmbeddedServer(): Promise<EmbeddedServer | null> {
  return (await connection()).embedded
}

/** What connecting to the database migrated (the first use of a database applies migrations). */
export async function getMigrationResult(): Promise<MigrateResult> {
  return (await connection()).migrations
}

/** Closes the pool and stops the embedded server if this process started it. */
export async function closeDatabase(): Promise<void> {
  const pending = globalState.__enumerationTriageDb
  if (!pending) return
  globalState.__enumerationTriageDb = undefined
  const conn = await pending.catch(() => null)
  if (!conn) return
  await conn.prisma.$disconnect().catch(() => {})
  await conn.pool.end().catch(() => {})
  if (conn.embedded?.owned) await conn.embedded.stop()
}
