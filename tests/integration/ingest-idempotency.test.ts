import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/test-database'
import { datasetState, eventCount, eventIds, graphRecord, job, ndjson, portalCsv, query, rollupAttempts, run } from '../helpers/ingest-kit'
import { PORTAL_HEADER_2024 } from '../helpers/export-headers'
import { csv } from '../helpers/read-log'

// The same sign-in delivered twice (overlapping exports, a re-fetched page, two formats) is
// stored and counted once; two different sign-ins are never merged because they look alike.
useTestDatabase()

describe('idempotency', () => {
  it('the same file twice: the second import is all duplicates and changes nothing', async () => {
    const content = portalCsv(40, { idPrefix: 'twice' })
    const first = await run('twice', 'InteractiveSignIns.csv', content)
    expect(first).toMatchObject({ status: 'succeeded', rowsInserted: 40, rowsDuplicate: 0 })
    const before = await datasetState('twice')
    const second = await run('twice', 'InteractiveSignIns (1).csv', content, { batchSize: 7 })
    expect(second).toMatchObject({ status: 'succeeded', rowsRead: 40, rowsInserted: 0, rowsDuplicate: 40 })
    expect(await job(second.jobId)).toMatchObject({ rows_inserted: 0, rows_duplicate: 40 })
    // the rollup did not count the duplicates again
    expect(await datasetState('twice')).toEqual(before)
    expect(await rollupAttempts('twice')).toBe(40)
    // and the same content gives the same hash on both jobs
    expect((await job(second.jobId)).content_sha256).toBe((await job(first.jobId)).content_sha256)
  })

  it('the same event in two files of different formats is stored once', async () => {
    const portal = csv(PORTAL_HEADER_2024, [
      { 'Date (UTC)': '2026-03-02T10:00:01Z', 'Request ID': 'g-000001', Username: 'user1@contoso.com', 'IP address': '203.0.113.45', 'Sign-in error code': '50034', 'Client app': 'Mobile Apps and Desktop clients', 'User agent': 'Mozilla/5.0' },
      { 'Date (UTC)': '2026-03-02T10:00:09Z', 'Request ID': 'portal-only', Username: 'user9@contoso.com', 'IP address': '203.0.113.45', 'Sign-in error code': '50034' },
    ])
    const graph = JSON.stringify({ value: [graphRecord(1), graphRecord(2)] })
    const a = await run('two-formats', 'InteractiveSignIns.csv', portal)
    const b = await run('two-formats', 'page-001.json', gzipSync(graph))
    expect(a).toMatchObject({ rowsInserted: 2, rowsDuplicate: 0 })
    expect(b).toMatchObject({ rowsInserted: 1, rowsDuplicate: 1 })
    expect(await eventIds('two-formats')).toEqual(['g-000001', 'g-000002', 'portal-only'])
    // the first copy wins
    const [row] = await query<{ source_format: string }>(`SELECT b.source_format FROM sign_in_events JOIN sign_in_record_blocks b ON b.dataset_id = sign_in_events.dataset_id AND b.block_id = sign_in_events.record_block WHERE source_event_id = 'g-000001'`)
    expect(row.source_format).toBe('portal-csv')
    expect(await rollupAttempts('two-formats')).toBe(3)
  })

  it('the same event twice within one file, across batches, is stored once', async () => {
    const records = [graphRecord(1), graphRecord(2), graphRecord(3), graphRecord(1), graphRecord(4), graphRecord(2)]
    const report = await run('in-file', 'signins.ndjson', ndjson(records), { batchSize: 2 })
    expect(report).toMatchObject({ status: 'succeeded', rowsRead: 6, rowsInserted: 4, rowsDuplicate: 2 })
    expect(await eventCount('in-file')).toBe(4)
    expect(await rollupAttempts('in-file')).toBe(4)
  })

  it('the same event twice within one batch is stored once', async () => {
    const report = await run('in-batch', 'signins.json', JSON.stringify([graphRecord(1), graphRecord(1), graphRecord(1)]))
    expect(report).toMatchObject({ rowsInserted: 1, rowsDuplicate: 2 })
    expect(await rollupAttempts('in-batch')).toBe(1)
  })

  it('events without an id get a content hash and de-duplicate across files', async () => {
    const event = (user: string, ts: number) => ({ '@timestamp': ts, resultType: '50034', userPrincipalName: user, ipAddress: '203.0.113.45', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0' })
    const day1 = ndjson([event('a@contoso.com', 1772446447000), event('b@contoso.com', 1772446448000)])
    // the overlapping export: b again (another field first, the UPN spelt differently), plus c
    const day2 = ndjson([{ '@ingesttimestamp': '1', ...event('b@contoso.com', 1772446448000), userPrincipalName: ' B@Contoso.com' }, event('c@contoso.com', 1772446449000)])
    const first = await run('no-ids', 'day1.ndjson', day1)
    const second = await run('no-ids', 'day2.ndjson', day2)
    expect(first).toMatchObject({ rowsInserted: 2, rowsDuplicate: 0 })
    expect(second).toMatchObject({ rowsInserted: 1, rowsDuplicate: 1 })
    const ids = await eventIds('no-ids')
    expect(ids).toHaveLength(3)
    expect(ids.every((id) => /^sha256:[0-9a-f]{64}$/.test(id))).toBe(true)
  })

  it('two events identical but for their id are two rows and two attempts', async () => {
    const twin = (id: string) => ({ ...graphRecord(1), id })
    const report = await run('twins', 'signins.json', JSON.stringify([twin('first'), twin('second')]))
    expect(report).toMatchObject({ rowsInserted: 2, rowsDuplicate: 0 })
    expect(await eventIds('twins')).toEqual(['first', 'second'])
    const [rollup] = await query<{ attempts: number; rows: number }>(
      `SELECT sum(attempts)::int AS attempts, count(*)::int AS rows FROM sign_in_hourly_rollup r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'twins'`,
    )
    expect(rollup).toEqual({ attempts: 2, rows: 1 })
  })

  it('the same file into two datasets is stored in each', async () => {
    const content = ndjson([graphRecord(1), graphRecord(2)])
    await run('dataset-a', 'x.json', content)
    const b = await run('dataset-b', 'x.json', content)
    expect(b).toMatchObject({ rowsInserted: 2, rowsDuplicate: 0 })
    expect(await eventCount('dataset-a')).toBe(2)
    expect(await eventCount('dataset-b')).toBe(2)
  })
})
