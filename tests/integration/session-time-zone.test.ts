import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeDatabase, getPool } from '@/lib/db/database'
import { createDatabase, dropDatabase } from '../helpers/test-database'

// The app's hours are UTC hours, but SQL truncates a timestamptz to the hour in the session's
// time zone. A server whose default zone is half an hour off UTC (here for this database alone)
// must not move the hours the app's statements cut.
let database: { name: string; url: string }

beforeAll(async () => {
  database = await createDatabase()
  const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') })
  await admin.connect()
  await admin.query(`ALTER DATABASE ${database.name} SET timezone = 'Asia/Kolkata'`)
  await admin.end()
  process.env.DATABASE_URL = database.url
})

afterAll(async () => {
  await closeDatabase()
  await dropDatabase(database.name)
})

describe('a server whose default time zone is Asia/Kolkata (UTC+05:30)', () => {
  it('gives other sessions its zone, so an hour would be cut at :30 UTC', async () => {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    const { rows } = await client.query<{ zone: string; hour: Date }>("SELECT current_setting('TimeZone') AS zone, date_trunc('hour', '2026-03-02T10:45:00Z'::timestamptz) AS hour")
    await client.end()
    expect(rows[0].zone).toBe('Asia/Kolkata')
    expect(rows[0].hour.toISOString()).toBe('2026-03-02T10:30:00.000Z')
  })

  it("runs the app's sessions in UTC, so its statements cut UTC hours", async () => {
    const pool = await getPool()
    const { rows } = await pool.query<{ zone: string; hour: Date }>("SELECT current_setting('TimeZone') AS zone, date_trunc('hour', '2026-03-02T10:45:00Z'::timestamptz) AS hour")
    expect(rows[0].zone).toBe('UTC')
    expect(rows[0].hour.toISOString()).toBe('2026-03-02T10:00:00.000Z')
  })
})
