import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, inject } from 'vitest'
import { closeDatabase, getPool } from '@/lib/db/database'

/**
 * Gives the calling test file a database of its own on the test server, migrated on first use
 * like any fresh database, and drops it afterwards. Never a mock: the real PostgreSQL.
 */
export function withDatabaseUrl(base: string, database: string): string {
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

export async function createDatabase(): Promise<{ name: string; url: string }> {
  const admin = inject('postgresAdminUrl')
  const name = `et_test_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  return { name, url: withDatabaseUrl(admin, name) }
}

export async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  } finally {
    await client.end()
  }
}

export function useTestDatabase(): { url: () => string } {
  let database: { name: string; url: string } | null = null
  beforeAll(async () => {
    database = await createDatabase()
    process.env.DATABASE_URL = database.url
    await getPool() // connect and migrate now, not inside the first test's timing
  })
  afterAll(async () => {
    await closeDatabase()
    if (database) await dropDatabase(database.name)
  })
  return {
    url: () => {
      if (!database) throw new Error('the test database exists only inside tests')
      return database.url
    },
  }
}
