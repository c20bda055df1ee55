import { describe, expect, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { getPool } from '@/lib/db/database'
import { GROWTH_FACTOR } from '@/lib/ingest/table-statistics'
import { sampleLogScaleEvents } from '../helpers/fake-logscale'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'

// Hourly connector slices into a new dataset of a large database: statistics must follow the
// new dataset (issue 14: planned for one row, 40 s per import instead of 16 ms). No timings:
// the test checks that the tables were analysed, when, and what the planner now expects.
useTestDatabase()

const template = sampleLogScaleEvents()[0]
const HOUR = 3_600_000
const START = Date.parse('2026-02-01T00:00:00Z')

/** NDJSON of `count` distinct sign-ins of one dataset, spread over one hour. */
function slice(prefix: string, hour: number, count: number): string {
  let text = ''
  for (let i = 0; i < count; i++) {
    const t = START + hour * HOUR + Math.floor((i * HOUR) / count)
    text += `${JSON.stringify({ ...template, '@timestamp': t, time: new Date(t).toISOString(), id: `${prefix}-${hour}-${i}`, userPrincipalName: `user${i % 97}@contoso.com`, ipAddress: `203.0.113.${i % 250}` })}\n`
  }
  return text
}

/** How many times the dataset's partition of sign_in_events was analysed by hand (not by autovacuum). */
async function analyseCount(dataset: string): Promise<number> {
  const { id } = await findOrCreateDataset(dataset)
  const pool = await getPool()
  await pool.query('SELECT pg_stat_clear_snapshot()')
  const { rows } = await pool.query<{ n: string }>('SELECT analyze_count::bigint AS n FROM pg_stat_user_tables WHERE relname = $1', [`sign_in_events_d${id}`])
  return Number(rows[0].n)
}

async function statisticsRows(dataset: string): Promise<number | null> {
  const { id } = await findOrCreateDataset(dataset)
  const pool = await getPool()
  const { rows } = await pool.query<{ statistics_rows: string | null }>('SELECT statistics_rows FROM datasets WHERE id = $1', [id])
  return rows[0].statistics_rows === null ? null : Number(rows[0].statistics_rows)
}

/** The planner's row estimate for one dataset's events. */
async function estimatedRows(dataset: string): Promise<number> {
  const { id } = await findOrCreateDataset(dataset)
  const pool = await getPool()
  const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`EXPLAIN (FORMAT JSON) SELECT * FROM sign_in_events WHERE dataset_id = ${id}`)
  return rows[0]['QUERY PLAN'][0].Plan['Plan Rows']
}

describe('planner statistics for small imports into a new dataset', () => {
  it('analyses when a dataset is new and each time it has grown by the factor, not on every slice', async () => {
    // A large database (next to the slices): 20,000 events of another dataset, analysed.
    let big = ''
    for (let hour = 0; hour < 4; hour++) big += slice('big', hour, 5000)
    expect((await ingestContent('archive', 'archive.ndjson', big)).rowsInserted).toBe(20_000)
    expect(await statisticsRows('archive')).toBe(20_000)

    // Hourly slices of 50 events into a new dataset.
    const archive = await analyseCount('archive')
    const before = await analyseCount('hourly')
    const recorded: (number | null)[] = []
    for (let hour = 0; hour < 12; hour++) {
      const report = await ingestContent('hourly', `slice ${hour}`, slice('hourly', hour, 50))
      expect(report.rowsInserted).toBe(50)
      recorded.push(await statisticsRows('hourly'))
    }
    // Analysed at 50 (new), 100, 200 and 400 events: 4 times in 12 imports.
    expect(GROWTH_FACTOR).toBe(2)
    expect(recorded).toEqual([50, 100, 100, 200, 200, 200, 200, 400, 400, 400, 400, 400])
    expect((await analyseCount('hourly')) - before).toBe(4)

    // The planner knows the new dataset: hundreds of rows, not one.
    expect(await estimatedRows('hourly')).toBeGreaterThan(100)

    // A slice that stores nothing new (all duplicates) analyses nothing.
    const again = await analyseCount('hourly')
    expect((await ingestContent('hourly', 'slice 11 again', slice('hourly', 11, 50))).rowsInserted).toBe(0)
    expect(await analyseCount('hourly')).toBe(again)
    // Only the dataset's own partition: the slices never analysed the archive's.
    expect(await analyseCount('archive')).toBe(archive)
  }, 240_000)
})
