import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ImportProgress } from '@/lib/ingest/pipeline'
import { useTestDatabase } from '../helpers/test-database'
import { datasetState, graphRecord, job, ndjson, portalCsv, query, rejectedRows, run } from '../helpers/ingest-kit'

// One import is one transaction: an import that fails half-way (the database refusing a later
// batch, the input breaking off, a decompression bomb) leaves the dataset exactly as it was, and
// its job says why. Every failure here happens after earlier batches were merged into the
// dataset inside the transaction.
useTestDatabase()

const DATASET = 'atomic'
const REFUSED_USER = 'refused@contoso.com'

let baseline: Awaited<ReturnType<typeof datasetState>>

beforeAll(async () => {
  // Data that was there before: every failed import must leave exactly this.
  const report = await run(DATASET, 'earlier.csv', portalCsv(25, { idPrefix: 'earlier', start: '2026-03-02T09:30:00Z' }))
  expect(report.status).toBe('succeeded')
  baseline = await datasetState(DATASET)
  expect(baseline.events).toHaveLength(25)
  expect(baseline.rollup.length).toBeGreaterThan(0)
  // A rule of this test database (not a mock: PostgreSQL itself refuses the row) so that a chosen
  // later batch of an import fails inside the database.
  await query(`ALTER TABLE sign_in_events ADD CONSTRAINT test_refuses_user CHECK (user_principal_name <> '${REFUSED_USER}') NOT VALID`)
})

/** Resolves once the pipeline reports that at least `rows` rows were merged (progress ticks every 500 ms). */
function processedAtLeast(rows: number) {
  let resolve!: () => void
  const reached = new Promise<void>((r) => (resolve = r))
  let seen = 0
  const onProgress = (p: ImportProgress) => {
    seen = Math.max(seen, p.rowsProcessed)
    if (p.rowsProcessed >= rows) resolve()
  }
  const wait = () =>
    Promise.race([reached, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the pipeline never merged ${rows} rows`)), 15_000))])
  return { onProgress, wait, seen: () => seen }
}

/** Yields `first`, waits until `gate` resolves, then yields `rest` or throws it. */
async function* gated(first: Buffer, gate: () => Promise<void>, rest: Buffer | Error) {
  yield first
  await gate()
  if (rest instanceof Error) throw rest
  yield rest
}

async function expectUnchanged(jobId: number, error: RegExp) {
  expect(await datasetState(DATASET)).toEqual(baseline)
  const row = await job(jobId)
  expect(row.status).toBe('failed')
  expect(row.error).toMatch(error)
  expect(row.rows_inserted).toBe(0)
  expect(row.finished_at).not.toBeNull()
  expect(await rejectedRows(jobId)).toEqual([])
  const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_events WHERE import_job_id = $1', [jobId])
  expect(n).toBe(0)
}

describe('an import that fails mid-way leaves the dataset exactly as before', () => {
  it('the database refuses a later batch', async () => {
    // 2000 rows in batches of 500; row 1800 is refused by the database. A bad row (rejected, not
    // fatal) comes first, so the job would have rejected rows to store if it committed.
    const rows = portalCsv(2000, { idPrefix: 'refused-run' }).trimEnd().split('\r\n')
    rows[1800] = rows[1800].replace('user1800@contoso.com', REFUSED_USER)
    rows[10] = rows[10].replace(/^"[^"]*"/, '"not a date"')
    const text = rows.join('\r\n') + '\r\n'
    const cut = text.indexOf('\r\n', Math.floor(text.length * 0.6)) + 2
    const progress = processedAtLeast(500)
    const report = await run(DATASET, 'refused.csv', gated(Buffer.from(text.slice(0, cut)), progress.wait, Buffer.from(text.slice(cut))), {
      batchSize: 500,
      onProgress: progress.onProgress,
    })
    expect(progress.seen()).toBeGreaterThanOrEqual(500)
    expect(report.status).toBe('failed')
    expect(report.error).toMatch(/^import failed: .*test_refuses_user/)
    expect(report.rowsInserted).toBe(0)
    await expectUnchanged(report.jobId, /test_refuses_user/)
  })

  const stopped = new Error('connection reset by peer')
  const bigCsv = portalCsv(3000, { idPrefix: 'stream' })
  const bigNdjson = ndjson(Array.from({ length: 3000 }, (_, i) => graphRecord(i + 1000)))
  const bigArray = JSON.stringify(Array.from({ length: 3000 }, (_, i) => graphRecord(i + 5000)), null, 1)
  const half = (text: string | Buffer) => {
    const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text)
    return bytes.subarray(0, Math.floor(bytes.length * 0.6))
  }
  const inputs: [string, string, Buffer][] = [
    ['CSV', 'InteractiveSignIns.csv', half(bigCsv)],
    ['JSON Lines', 'signins.ndjson', half(bigNdjson)],
    ['JSON array', 'InteractiveSignIns.json', half(bigArray)],
    ['gzip', 'InteractiveSignIns.csv.gz', half(gzipSync(bigCsv))],
  ]

  it.each(inputs)('the input stream breaks off half-way: %s', async (_label, fileName, first) => {
    const progress = processedAtLeast(500)
    const report = await run(DATASET, fileName, gated(first, progress.wait, stopped), { batchSize: 500, onProgress: progress.onProgress })
    expect(progress.seen()).toBeGreaterThanOrEqual(500)
    expect(report.status).toBe('failed')
    expect(report.error).toBe('import failed: connection reset by peer')
    await expectUnchanged(report.jobId, /connection reset by peer/)
  })

  it('the dataset takes the next import normally after a failure', async () => {
    const failed = await run(DATASET, 'broken.json', gated(Buffer.from(`${JSON.stringify(graphRecord(1))}\n`.repeat(1)), async () => {}, stopped))
    expect(failed.status).toBe('failed')
    const ok = await run(DATASET, 'after.ndjson', ndjson([graphRecord(90001)]))
    expect(ok).toMatchObject({ status: 'succeeded', rowsInserted: 1 })
    const after = await datasetState(DATASET)
    expect(after.events).toHaveLength(baseline.events.length + 1)
    // put the dataset back for the other tests
    await query(`DELETE FROM sign_in_events WHERE import_job_id = $1`, [ok.jobId])
    await query(`DELETE FROM sign_in_hourly_rollup WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) AND user_principal_name = 'user90001@contoso.com'`, [DATASET])
    expect(await datasetState(DATASET)).toEqual(baseline)
  })
})

describe('the decompression limit (maxDecodedBytes)', () => {
  // ~12 MB of sign-ins that gzip to a few hundred KB
  const bombs: [string, string, () => Buffer][] = [
    ['CSV', 'bomb.csv.gz', () => gzipSync(portalCsv(40_000, { idPrefix: 'bomb' }))],
    ['JSON Lines', 'bomb.json', () => gzipSync(ndjson(Array.from({ length: 40_000 }, (_, i) => graphRecord(i + 100_000))))],
    ['JSON array', 'bomb.json', () => gzipSync(JSON.stringify(Array.from({ length: 40_000 }, (_, i) => graphRecord(i + 200_000))))],
  ]

  it.each(bombs)('refuses a %s bomb that passes the limit after some batches were merged', async (_label, fileName, make) => {
    const bomb = make()
    expect(bomb.length).toBeLessThan(1_500_000)
    const report = await run(DATASET, fileName, bomb, { maxDecodedBytes: 3_000_000, batchSize: 500 })
    expect(report.status).toBe('failed')
    expect(report.error).toBe('content exceeds the limit of 3000000 bytes after decompression')
    await expectUnchanged(report.jobId, /^content exceeds the limit of 3000000 bytes after decompression$/)
  })

  it('refuses a bomb that passes the limit while its head is sniffed', async () => {
    const report = await run(DATASET, 'zeros.gz', gzipSync(Buffer.alloc(50_000_000, '0')), { maxDecodedBytes: 100_000 })
    expect(report.status).toBe('failed')
    expect(report.error).toBe('content exceeds the limit of 100000 bytes after decompression')
    await expectUnchanged(report.jobId, /^content exceeds the limit/)
  })

  it('takes a file within the limit', async () => {
    const content = gzipSync(ndjson([graphRecord(300_001)]))
    const report = await run('within-limit', 'ok.json', content, { maxDecodedBytes: 100_000 })
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 1 })
  })
})
