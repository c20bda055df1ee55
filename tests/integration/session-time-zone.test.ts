import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { closeDatabase, getPool } from '@/lib/db/database'
import { recomputeDataset } from '@/lib/derive/recompute'
import { ingest } from '@/lib/ingest/pipeline'
import { graphRecord, ndjson, once, query } from '../helpers/ingest-kit'
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

  it('escalates a finding by a success later in the hour its probing began, after an append as in full', async () => {
    const { id } = await findOrCreateDataset('half-hour-zone')
    const prober = '198.18.40.10'
    let n = 0
    const signIn = (at: string, upn: string, code: number) => graphRecord(n++, { id: `tz-${n}`, createdDateTime: at, ipAddress: prober, userPrincipalName: upn, status: { errorCode: code } })
    // Probing from 12:40 UTC: in Asia/Kolkata that hour began at 12:30 UTC, after the rollup's 12:00.
    const burst = Array.from({ length: 15 }, (_, i) => signIn(new Date(Date.parse('2026-03-02T12:40:00Z') + i * 20_000).toISOString(), `p${i}@contoso.com`, 50034))
    const load = async (name: string, records: object[], full: boolean) => {
      expect((await ingest({ datasetId: id, fileName: name, source: once(ndjson(records)) })).status).toBe('succeeded')
      expect(await recomputeDataset(id)).toMatchObject({ status: 'current', run: { full } })
    }
    await load('burst.json', burst, true)
    // Appended: a probed name proves its password from the same address ten minutes later.
    await load('success.json', [signIn('2026-03-02T12:58:00Z', 'p3@contoso.com', 0)], false)
    const escalations = () =>
      query<{ upn: string; relation: string }>(
        'SELECT e.user_principal_name AS upn, e.relation FROM finding_escalations e JOIN findings f ON f.id = e.finding_id WHERE f.dataset_id = $1',
        [id],
      )
    expect(await escalations()).toEqual([{ upn: 'p3@contoso.com', relation: 'same IP' }])
    expect(await recomputeDataset(id, { full: true })).toMatchObject({ status: 'current', run: { full: true } })
    expect(await escalations()).toEqual([{ upn: 'p3@contoso.com', relation: 'same IP' }])
  })
})
