import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'

/**
 * Planner statistics that keep up with a dataset while it is new. The derived queries filter
 * on one dataset; with statistics from before its first events, the planner takes it for a
 * dataset of one row and picks nested loops that go quadratic (an hourly connector slice of 600
 * events into a new dataset: 40 s per import instead of 16 ms). Autovacuum and the big-import
 * rule (≥ 10 % of the table) never fire for small slices into a large database, so after each
 * committed import the event tables are analysed when the dataset is new to the statistics or
 * has grown by GROWTH_FACTOR since they were last taken for it: a dataset pulled slice by slice
 * costs a logarithmic number of ANALYZEs (each samples a bounded number of rows), and its plans
 * never rest on estimates more than a factor off.
 */
export const GROWTH_FACTOR = 2

/**
 * Call once an import committed (ANALYZE outside the import's transaction, so the import's
 * locks are not held while it samples). Best effort: a failure is logged, the import stands.
 * Returns whether the tables were analysed.
 */
export async function refreshStatisticsAfterImport(datasetId: number): Promise<boolean> {
  const pool = await getPool()
  try {
    const { rows } = await pool.query<{ statistics_rows: string | null; rows: string }>(sqlFile('ingest/sql/dataset-statistics-state.sql'), [datasetId])
    if (!rows[0]) return false
    const held = Number(rows[0].rows)
    const analysedAt = rows[0].statistics_rows === null ? null : Number(rows[0].statistics_rows)
    if (held === 0 || (analysedAt !== null && held < analysedAt * GROWTH_FACTOR)) return false
    const client = await pool.connect()
    try {
      // One ANALYZE at a time across processes; whoever skips it sees the growth again next import.
      const { rows: lock } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('event-table-statistics')) AS locked")
      if (!lock[0].locked) return false
      try {
        await client.query(sqlFile('ingest/sql/analyze-event-tables.sql'), [datasetId])
        await client.query('UPDATE datasets SET statistics_rows = $2 WHERE id = $1', [datasetId, held])
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('event-table-statistics'))")
      }
    } finally {
      client.release()
    }
    return true
  } catch (error) {
    console.error(`[ingest] statistics for dataset ${datasetId} not refreshed: ${(error as Error).message}`)
    return false
  }
}
