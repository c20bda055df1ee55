import { describe, expect, it } from 'vitest'
import { datasetState, graphRecord, ndjson, query, run } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// The pipeline COPYs events straight into sign_in_events and looks up only the ids that may
// already be stored (in a dataset's first import: only repeats of this import's own earlier
// rows). Whatever the path, the first copy of an event wins, each event is stored once, and the
// hourly rollup says exactly what the stored events say.
useTestDatabase()

/** The rollup as the stored events give it (the rule of lib/ingest/hourly-rollup.ts and merge-rollup.sql, over the whole dataset). */
async function rollupFromEvents(dataset: string) {
  return query(
    `SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, host(ip_address) AS ip,
            client_app_used, user_agent, user_principal_name, error_code, count(*)::int AS attempts,
            min(created_at) AS first_seen, max(created_at) AS last_seen,
            coalesce((array_agg(DISTINCT app_display_name ORDER BY app_display_name) FILTER (WHERE app_display_name <> ''))[1:10], '{}') AS app_names
       FROM sign_in_events JOIN user_agents USING (dataset_id, user_agent_id)
      WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1)
        AND ip_address IS NOT NULL AND user_principal_name <> '' AND error_code IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6
      ORDER BY 1, 2, 3, 4, 5, 6`,
    [dataset],
  )
}

async function expectConsistent(dataset: string) {
  const state = await datasetState(dataset)
  expect(state.rollup).toEqual(await rollupFromEvents(dataset))
  return state
}

const record = (i: number, app = 'Azure Portal') => graphRecord(i, { appDisplayName: app })

describe('loading batches straight into sign_in_events', () => {
  it("a dataset's first import: repeats across and within batches are stored once, the first copy wins", async () => {
    // 30 records in batches of 7: ids 3 and 12 come back in later batches with other apps, id 20
    // twice in a row (the same batch).
    const records = [
      ...Array.from({ length: 25 }, (_, i) => record(i + 1)),
      record(3, 'Later copy'),
      record(12, 'Later copy'),
      record(26),
      record(20, 'Later copy'),
      record(20, 'Later copy'),
    ]
    const report = await run('first-import', 'signins.ndjson', ndjson(records), { batchSize: 7 })
    expect(report).toMatchObject({ status: 'succeeded', rowsRead: 30, rowsInserted: 26, rowsDuplicate: 4 })
    const state = await expectConsistent('first-import')
    expect(state.events).toHaveLength(26)
    expect(state.events.filter((e) => e.app_display_name === 'Later copy')).toEqual([])
  })

  it('rollup rows grouped in Node and sent in pieces: an hour that returns adds up, the first 10 apps in collation order whatever their characters', async () => {
    // One user probed from one address in two hours that alternate every few records (each batch's
    // other hours are sent, then come back), rotating 12 user agents, with 14 apps whose names
    // need quoting in an array.
    const apps = ['Zeta', 'alpha', 'a "quoted" app', 'back\\slash', 'comma, app', '{braces}', 'Ünïcode', 'tab\there', 'NULL', '', 'b', 'B', 'c', 'app 13', 'app 14']
    const records = Array.from({ length: 45 }, (_, i) =>
      graphRecord(i + 1, {
        userPrincipalName: 'victim@contoso.com',
        appDisplayName: apps[i % apps.length],
        userAgent: `agent ${i % 12}`,
        createdDateTime: new Date(Date.parse(Math.floor(i / 4) % 2 ? '2026-03-02T11:00:00Z' : '2026-03-02T10:00:00Z') + i * 1000).toISOString(),
      }),
    )
    for (const batchSize of [3, 100]) {
      const report = await run(`rollup-pieces-${batchSize}`, 'signins.ndjson', ndjson(records), { batchSize })
      expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 45 })
      const state = await expectConsistent(`rollup-pieces-${batchSize}`)
      expect(state.rollup).toHaveLength(24)
    }
  })

  it('a later import into the same dataset: what is already stored counts as duplicate, the rest is added', async () => {
    await run('later-import', 'day1.ndjson', ndjson(Array.from({ length: 20 }, (_, i) => record(i + 1))), { batchSize: 6 })
    // overlaps 11-20, adds 21-30, repeats 25 inside the file
    const second = [...Array.from({ length: 20 }, (_, i) => record(i + 11, 'Second file')), record(25, 'Again')]
    const report = await run('later-import', 'day2.ndjson', ndjson(second), { batchSize: 6 })
    expect(report).toMatchObject({ status: 'succeeded', rowsRead: 21, rowsInserted: 10, rowsDuplicate: 11 })
    const state = await expectConsistent('later-import')
    expect(state.events).toHaveLength(30)
    expect(state.events.filter((e) => e.app_display_name === 'Second file').map((e) => e.source_event_id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `g-${String(i + 21).padStart(6, '0')}`),
    )
  })

  it('the same file twice: the second import stores nothing and leaves the rollup as it was', async () => {
    const content = ndjson(Array.from({ length: 15 }, (_, i) => record(i + 100)))
    await run('twice', 'a.ndjson', content, { batchSize: 4 })
    const before = await expectConsistent('twice')
    const again = await run('twice', 'b.ndjson', content, { batchSize: 4 })
    expect(again).toMatchObject({ status: 'succeeded', rowsInserted: 0, rowsDuplicate: 15 })
    expect(await expectConsistent('twice')).toEqual(before)
  })
})
