import { createHash, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { projectRoot } from './project-root'

/**
 * Applies prisma/migrations the way `prisma migrate deploy` does, without Prisma's native schema
 * engine (which cannot be downloaded offline): same `_prisma_migrations` table, same checksum
 * (SHA-256 of migration.sql), same advisory lock, so `prisma migrate status` on a connected
 * machine sees these migrations as applied. Unlike Prisma, each migration runs in a
 * transaction, so a failing one leaves nothing half-applied.
 */

// The lock key `prisma migrate` takes, so our runner and Prisma's never interleave.
const PRISMA_MIGRATE_LOCK = 72707369

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`

export interface Migration {
  name: string
  sql: string
  checksum: string
}

export function migrationsDir(): string {
  return path.join(projectRoot(), 'prisma', 'migrations')
}

export function readMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
}

export interface MigrateResult {
  applied: string[]
  alreadyApplied: string[]
}

/** Every migration applied with its checksum: what migrate() would report, read without any lock. */
async function upToDate(client: pg.Client, dir: string): Promise<MigrateResult | null> {
  const { rows: table } = await client.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`)
  if (!table[0].exists) return null
  const { rows } = await client.query<{ migration_name: string; checksum: string }>(
    'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  )
  const done = new Map(rows.map((r) => [r.migration_name, r.checksum]))
  const migrations = readMigrations(dir)
  if (!migrations.every((m) => done.get(m.name) === m.checksum)) return null
  return { applied: [], alreadyApplied: migrations.map((m) => m.name) }
}

export async function migrate(databaseUrl: string, dir = migrationsDir()): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl })
  // A connection dropped while idle would be an uncaught 'error'; a query in flight still rejects.
  client.on('error', () => {})
  await client.connect()
  let locked = false
  try {
    // Up to date: nothing to do, and nothing that needs the owner's rights. The app may run as a
    // role that owns no table (docs/database.md "The app's database role"); only pending
    // migrations need the owner.
    const current = await upToDate(client, dir)
    if (current) return current
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK])
    locked = true
    try {
      await client.query(CREATE_MIGRATIONS_TABLE)
    } catch (error) {
      if ((error as { code?: string }).code === '42501') {
        throw new Error('the database has migrations to apply, and this role may not create tables: run `npm run cli -- migrate` with the database owner\'s DATABASE_URL')
      }
      throw error
    }
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    )
    const done = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]))
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at)
    if (failed) {
      throw new Error(`migration ${failed.migration_name} failed earlier and was not rolled back; resolve it before migrating again`)
    }

    const result: MigrateResult = { applied: [], alreadyApplied: [] }
    for (const migration of readMigrations(dir)) {
      const previous = done.get(migration.name)
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was modified after it was applied (checksum differs); add a new migration instead`)
        }
        result.alreadyApplied.push(migration.name)
        continue
      }
      await client.query('BEGIN')
      try {
        const id = randomUUID()
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, migration.checksum, migration.name],
        )
        await client.query(migration.sql)
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`)
      }
      result.applied.push(migration.name)
    }
    return result
  } finally {
    // Unlocking a lock this session does not hold makes the server log a warning, at every start.
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => {})
    await client.end()
  }
}
