import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { realExportPath } from '../helpers/paths'
import { useTestDatabase } from '../helpers/test-database'
import { eventIds, graphRecord, job, ndjson, portalCsv, rejectedRows, run } from '../helpers/ingest-kit'
import { PORTAL_HEADER_2024 } from '../helpers/export-headers'
import { csvLine } from '../helpers/read-log'

// Bad rows are values, not failures: each is stored in rejected_rows with where it was and why,
// and the good rows of the same file are kept.
useTestDatabase()

describe('rejected rows', () => {
  it('portal CSV: unparseable date, missing date and a wrong field count are rejected by line; the rest is kept', async () => {
    const good = portalCsv(4, { idPrefix: 'ok' }).trimEnd().split('\r\n')
    const [header, r1, r2, r3, r4] = good
    const cells = (line: string) => line.slice(1, -1).split('","')
    const withDate = (line: string, date: string) => csvLine([date, ...cells(line).slice(1)])
    const lines = [
      header,
      r1, // line 2
      withDate(r2, '2026-02-30T10:00:00Z'), // line 3: no such day
      withDate(r3, ''), // line 4: no date
      csvLine(cells(r4).slice(0, 20)), // line 5: 20 of 55 fields
      csvLine(['2026-03-02T11:00:00Z', 'ok-last', ...Array(PORTAL_HEADER_2024.length - 2).fill('')]), // line 6
    ]
    const report = await run('portal-bad-rows', 'InteractiveSignIns.csv', lines.join('\r\n') + '\r\n')
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report).toMatchObject({ rowsRead: 5, rowsInserted: 2, rowsRejected: 3, rowsDuplicate: 0, error: null })
    expect(await eventIds('portal-bad-rows')).toEqual(['ok-000001', 'ok-last'])
    const rejected = await rejectedRows(report.jobId)
    expect(rejected.map((r) => [r.record_number, r.reason])).toEqual([
      [3, 'unparseable date "2026-02-30T10:00:00Z" in "Date (UTC)"'],
      [4, 'missing timestamp ("Date (UTC)")'],
      [5, 'expected 55 fields as in the header, found 20'],
    ])
    // the excerpt shows the analyst which row it was
    expect(rejected[0].excerpt).toContain('ok-000002')
    expect(rejected[2].excerpt).toContain('ok-000004')
    expect((await job(report.jobId)).rows_rejected).toBe(3)
  })

  it('NDJSON: a line that is not JSON is rejected with its line number; the lines around it are kept', async () => {
    const content = [JSON.stringify(graphRecord(1)), '{"id":"g-broken","createdDateTime":"2026-03-02T10:00:0', JSON.stringify(graphRecord(3)), '', JSON.stringify(graphRecord(5))].join('\n')
    const report = await run('ndjson-bad-line', 'signins.ndjson', content)
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report).toMatchObject({ rowsRead: 4, rowsInserted: 3, rowsRejected: 1 })
    expect(await eventIds('ndjson-bad-line')).toEqual(['g-000001', 'g-000003', 'g-000005'])
    const [rejected] = await rejectedRows(report.jobId)
    expect(rejected.record_number).toBe(2)
    expect(rejected.reason).toMatch(/^not valid JSON/)
    expect(rejected.excerpt).toContain('g-broken')
  })

  it('JSON Lines: records without a timestamp or with a bad one are rejected by line', async () => {
    const { createdDateTime: _t, ...noTime } = graphRecord(2)
    const content = ndjson([graphRecord(1), noTime, graphRecord(3, { createdDateTime: 'yesterday' }), graphRecord(4)])
    const report = await run('ndjson-bad-dates', 'signins.json', content)
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 2, rowsRejected: 2 })
    expect((await rejectedRows(report.jobId)).map((r) => [r.record_number, r.reason])).toEqual([
      [2, 'missing timestamp (createdDateTime)'],
      [3, 'unparseable date "yesterday" in createdDateTime'],
    ])
  })

  it('a LogScale event with an absurd epoch timestamp is one rejected row, not a failed import', async () => {
    const event = (id: string, ts: number) => ({ '@timestamp': ts, resultType: '50034', userPrincipalName: `${id}@contoso.com`, ipAddress: '203.0.113.45', id })
    const report = await run('absurd-epoch', 'export.ndjson', ndjson([event('a', 1772446447000), event('b', 1e17), event('c', 253402300800000), event('d', 1772446448000)]))
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(await eventIds('absurd-epoch')).toEqual(['a', 'd'])
    expect((await rejectedRows(report.jobId)).map((r) => [r.record_number, r.reason])).toEqual([
      [2, 'unparseable date "100000000000000000" in @timestamp'],
      [3, 'unparseable date "253402300800000" in @timestamp'],
    ])
  })

  it('JSON array with a syntax error mid-file: keeps the records before it and reports where it stopped', async () => {
    const records = Array.from({ length: 6 }, (_, i) => JSON.stringify(graphRecord(i + 1)))
    // record 5 lost its closing brace and comma: the array structure breaks there
    const broken = records[4].slice(0, -1)
    const content = `[\n${[...records.slice(0, 4), broken + records[5]].join(',\n')}\n]\n`
    const report = await run('json-syntax', 'InteractiveSignIns.json', content)
    expect(report.status).toBe('succeeded')
    expect(report.rowsInserted).toBe(4)
    expect(report.error).toMatch(/^JSON syntax error after record 4 \(line \d+\): .*the rest of the file could not be read \(record 5\)$/)
    expect(await eventIds('json-syntax')).toEqual(['g-000001', 'g-000002', 'g-000003', 'g-000004'])
    const row = await job(report.jobId)
    expect(row.error).toBe(report.error)
    const rejected = await rejectedRows(report.jobId)
    expect(rejected).toHaveLength(1)
    expect(rejected[0].record_number).toBe(5)
    expect(rejected[0].reason).toMatch(/^JSON syntax error after record 4/)
  })

  // The fatal "syntax error" item is a rejection but not a row read: counting duplicates from
  // rowsRead - rowsRejected gave -1 here.
  it('a JSON file that stops at a syntax error reports no duplicates (not -1)', async () => {
    const content = `[${JSON.stringify(graphRecord(1))},${JSON.stringify(graphRecord(2))} ${JSON.stringify(graphRecord(3))}]`
    const report = await run('json-syntax-counts', 'signins.json', content)
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 2, rowsRejected: 1 })
    expect(report.rowsDuplicate).toBe(0)
    expect((await job(report.jobId)).rows_duplicate).toBe(0)
  })

  it('a small JSON array (one read chunk) with an error in its third record keeps the first two', async () => {
    const content = `[${JSON.stringify(graphRecord(1))},${JSON.stringify(graphRecord(2))},{"id": "g-3", "createdDateTime": ]`
    const report = await run('json-syntax-small', 'signins.json', content)
    expect(report.status).toBe('succeeded')
    expect(await eventIds('json-syntax-small')).toEqual(['g-000001', 'g-000002'])
    expect(report.rowsRejected).toBe(1)
  })

  it('a truncated JSON array keeps what it has and says it was truncated', async () => {
    const full = JSON.stringify([graphRecord(1), graphRecord(2), graphRecord(3)])
    const report = await run('json-truncated', 'signins.json', full.slice(0, full.length - 40))
    expect(report.status).toBe('succeeded')
    expect(await eventIds('json-truncated')).toEqual(['g-000001', 'g-000002'])
    expect(report.error).toMatch(/truncated/)
  })

  // The real export is CRLF with two multi-line JSON cells per row: counting each embedded CRLF
  // as two lines would report this row hundreds of lines further down, where no one finds it.
  it('a bad row appended to the real CRLF export is reported at its real line (1166)', async () => {
    const bytes = readFileSync(realExportPath)
    expect(bytes.toString('utf8').split('\r\n').length - 1).toBe(1165)
    const report = await run('real-plus-bad', 'real.csv', Buffer.concat([bytes, Buffer.from('only,three,fields\r\n')]))
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 56, rowsRejected: 1 })
    const [rejected] = await rejectedRows(report.jobId)
    expect(rejected.reason).toBe('expected 71 fields as in the header, found 3')
    expect(rejected.record_number).toBe(1166)
  })

  it('the real export with a bad row appended still stores its 56 events and rejects the row', async () => {
    const bytes = readFileSync(realExportPath)
    const report = await run('real-plus-bad-2', 'real.csv', Buffer.concat([bytes, Buffer.from('only,three,fields\r\n')]))
    expect(report).toMatchObject({ status: 'succeeded', rowsRead: 57, rowsInserted: 56, rowsRejected: 1 })
    const [rejected] = await rejectedRows(report.jobId)
    expect(rejected.reason).toBe('expected 71 fields as in the header, found 3')
    expect(rejected.excerpt).toBe('only,three,fields')
  })

  it('stores at most maxRejectedStored rejections but counts them all', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify(graphRecord(i, { createdDateTime: 'never' })))
    const { findOrCreateDataset } = await import('@/lib/datasets/datasets')
    const { ingest } = await import('@/lib/ingest/pipeline')
    const { id } = await findOrCreateDataset('many-rejections')
    async function* source() {
      yield Buffer.from(`${lines.join('\n')}\n${JSON.stringify(graphRecord(99))}\n`)
    }
    const report = await ingest({ datasetId: id, fileName: 'x.ndjson', source: source(), maxRejectedStored: 10 })
    expect(report).toMatchObject({ status: 'succeeded', rowsRejected: 30, rowsInserted: 1 })
    expect((await job(report.jobId)).rows_rejected).toBe(30)
    expect((await rejectedRows(report.jobId)).map((r) => r.record_number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })
})
