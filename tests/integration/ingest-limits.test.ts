import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/test-database'
import { eventIds, graphRecord, job, ndjson, portalCsv, rejectedRows, run } from '../helpers/ingest-kit'

// Caps at ingest: a record, a line, a field or a header beyond the limits costs bounded memory
// and is rejected where it was, with the reason; the rest of the file is kept.
useTestDatabase()

beforeAll(async () => {
  // Loads the pipeline, Prisma and the formats before any memory is measured.
  await run('warm-up', 'signins.ndjson', ndjson([graphRecord(1)]))
  await run('warm-up', 'InteractiveSignIns.csv', portalCsv(1))
})

afterEach(() => {
  delete process.env.ET_INGEST_MAX_FIELD_CHARS
})

const MiB = 1024 * 1024

/** Samples the process's resident memory while `work` runs: the most it grew. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; grewBy: number }> {
  global.gc?.()
  const base = process.memoryUsage().rss
  let peak = base
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  try {
    const result = await work()
    peak = Math.max(peak, process.memoryUsage().rss)
    return { result, grewBy: peak - base }
  } finally {
    clearInterval(timer)
  }
}

describe('ingest limits', () => {
  it('a 200 MB user agent in NDJSON: that line is rejected by number, never held whole; the others are stored', async () => {
    async function* content(): AsyncGenerator<Buffer> {
      yield Buffer.from(ndjson([graphRecord(1)]))
      yield Buffer.from(JSON.stringify(graphRecord(2)).replace('"userAgent":"Mozilla/5.0"', '"userAgent":"'))
      const filler = Buffer.alloc(MiB, 'A')
      for (let i = 0; i < 200; i++) yield filler
      yield Buffer.from('"}\n' + ndjson([graphRecord(3), graphRecord(4)]))
    }
    const { result: report, grewBy } = await peakGrowth(() => run('huge-ua', 'signins.ndjson', content()))
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report).toMatchObject({ rowsRead: 4, rowsInserted: 3, rowsRejected: 1 })
    expect(await eventIds('huge-ua')).toEqual(['g-000001', 'g-000003', 'g-000004'])
    const [rejected] = await rejectedRows(report.jobId)
    expect(rejected.record_number).toBe(2)
    expect(rejected.reason).toMatch(/^line longer than 8388608 bytes \(at least \d+ bytes; limit ET_INGEST_MAX_RECORD_BYTES\)/)
    // It took 1.8 GiB before; now the line is counted and dropped as it streams.
    expect(grewBy).toBeLessThan(100 * MiB)
  })

  it('a 10 MB CSV row of a million columns is rejected by line; a header of a million columns fails the file with the reason', async () => {
    const good = portalCsv(3).trimEnd().split('\r\n')
    const wide = Array.from({ length: 1_000_000 }, () => 'abcdefghi').join(',') // 10 MB
    const rows = [good[0], good[1], wide, good[2], good[3]].join('\r\n') + '\r\n'
    const { result: report, grewBy } = await peakGrowth(() => run('wide-csv', 'InteractiveSignIns.csv', rows))
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report).toMatchObject({ rowsRead: 4, rowsInserted: 3, rowsRejected: 1 })
    expect((await rejectedRows(report.jobId)).map((r) => [r.record_number, r.reason.slice(0, 30)])).toEqual([[3, 'CSV record longer than 8388608']])
    expect(grewBy).toBeLessThan(150 * MiB)

    const header = await run('wide-header', 'x.csv', Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',') + '\r\n1,2\r\n')
    expect(header.status).toBe('failed')
    expect(header.error).toBe('the CSV header has 1000000 columns; the limit is 1000 (ET_INGEST_MAX_COLUMNS)')
    const longHeader = await run('long-header', 'x.csv', Array.from({ length: 1_000_000 }, (_, i) => `column-${i}`).join(',') + '\r\n1,2\r\n')
    expect(longHeader.error).toMatch(/^the CSV header \(line 1\) is longer than 8388608 bytes/)
    const columns = await run('many-columns', 'x.csv', Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',') + '\r\n1,2\r\n')
    expect(columns).toMatchObject({ status: 'failed', error: 'the CSV header has 1001 columns; the limit is 1000 (ET_INGEST_MAX_COLUMNS)' })
  })

  it('a value over the field limit rejects its record, naming the field', async () => {
    process.env.ET_INGEST_MAX_FIELD_CHARS = '1000'
    const report = await run('long-field', 'signins.ndjson', ndjson([graphRecord(1), graphRecord(2, { userAgent: 'U'.repeat(5000) }), graphRecord(3)]))
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 2, rowsRejected: 1 })
    expect((await rejectedRows(report.jobId)).map((r) => [r.record_number, r.reason])).toEqual([[2, 'userAgent is 5000 characters; the limit is 1000 (ET_INGEST_MAX_FIELD_CHARS)']])
    const csv = portalCsv(2, { extra: [{ 'Date (UTC)': '2026-03-02T11:00:00Z', 'Request ID': 'long', Username: 'x@contoso.com', 'User agent': 'V'.repeat(1500) }] })
    const csvReport = await run('long-field', 'InteractiveSignIns.csv', csv)
    expect(csvReport).toMatchObject({ status: 'succeeded', rowsInserted: 2, rowsRejected: 1 })
    expect((await rejectedRows(csvReport.jobId))[0].reason).toBe('the "User agent" field is 1500 characters; the limit is 1000 (ET_INGEST_MAX_FIELD_CHARS)')
  })

  it('a CSV of 12 records with 4 broken ones reads 12, inserts 8 and rejects 4: a broken record counts once', async () => {
    const lines = portalCsv(12).trimEnd().split('\r\n')
    const cells = (line: string) => line.slice(1, -1).split('","')
    const broken = [
      lines[3].replace('"user3@contoso.com"', 'x"y"z'), // two invalid quotes in one record
      cells(lines[5]).slice(0, 10).map((c) => `"${c}"`).join(','), // 10 of 55 fields
      lines[8].replace('"user8@contoso.com"', 'us"er8'), // a quote inside an unquoted cell
      `${lines[11]},"extra"`, // 56 fields
    ]
    const content = [lines[0], lines[1], lines[2], broken[0], lines[4], broken[1], lines[6], lines[7], broken[2], lines[9], lines[10], broken[3], lines[12]].join('\r\n') + '\r\n'
    const report = await run('broken-csv', 'InteractiveSignIns.csv', content)
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report).toMatchObject({ rowsRead: 12, rowsInserted: 8, rowsRejected: 4 })
    expect((await rejectedRows(report.jobId)).map((r) => r.record_number).sort((a, b) => a - b)).toEqual([4, 6, 9, 12])
    expect((await job(report.jobId)).rows_rejected).toBe(4)
  })
})

describe('what pages and the API show of one value', () => {
  it('a 500,000-character user agent is shown cut, with its full length stated, everywhere it appears', async () => {
    const userAgent = `Mozilla/5.0 ${'Z'.repeat(500_000)}`
    const records = Array.from({ length: 12 }, (_, i) => graphRecord(100 + i, { ipAddress: '198.51.100.90', userAgent, userPrincipalName: `probe${i}@contoso.com`, status: { errorCode: 50034, failureReason: 'F'.repeat(3000) } }))
    const report = await run('long-values', 'signins.ndjson', ndjson(records))
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 12 })
    const { capRecordJson, DISPLAY_MAX_CHARS } = await import('@/lib/display/cap-text')
    const { getIpActivity } = await import('@/lib/ips/get-ip-activity')
    const { listFindings } = await import('@/lib/findings/list-findings')
    const { parseFindingsQuery } = await import('@/lib/findings/findings-query')
    const { getFindingEvents } = await import('@/lib/findings/finding-details')
    const { getEventRecord } = await import('@/lib/events/get-event-record')
    const shown = `${'Mozilla/5.0 ' + 'Z'.repeat(DISPLAY_MAX_CHARS - 12)}… [500,012 characters in all; shortened for display]`
    const ip = await getIpActivity('198.51.100.90', null)
    expect(ip.clients.map((c) => c.userAgent)).toEqual([shown])
    expect(ip.buckets.every((b) => b.userAgent === shown)).toBe(true)
    const findings = await listFindings(parseFindingsQuery(new URLSearchParams({ q: '198.51.100.90' })))
    expect(findings.rows.length).toBe(1)
    expect(findings.rows[0].userAgent).toBe(shown)
    const events = await getFindingEvents(findings.rows[0].id)
    expect(events[0].failureReason).toMatch(/^F{2000}… \[3,000 characters in all/)
    // The raw record view: still JSON, every long value cut and saying so.
    const record = (await getEventRecord(BigInt(events[0].id)))!
    expect(record.raw.length).toBeGreaterThan(500_000)
    const capped = capRecordJson(record.raw)
    expect(capped.shortened).toBe(true)
    expect(capped.raw.length).toBeLessThan(20_000)
    expect(JSON.parse(capped.raw).userAgent).toMatch(/… \[500,012 characters in all; shortened for display\]$/)
  })
})
