import { afterAll, beforeAll, inject } from 'vitest'
import { closeDatabase, getPool } from '@/lib/db/database'
import { createDatabaseOn, dropDatabaseOn } from './database-admin'

/**
 * Gives the calling test file a database of its own on the test server, migrated on first use
 * like any fresh database, and drops it afterwards. Never a mock: the real PostgreSQL.
 */
export { withDatabaseUrl } from './database-admin'

export function createDatabase(): Promise<{ name: string; url: string }> {
  return createDatabaseOn(inject('postgresAdminUrl'))
}

export function dropDatabase(name: string): Promise<void> {
  return dropDatabaseOn(inject('postgresAdminUrl'), name)
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
