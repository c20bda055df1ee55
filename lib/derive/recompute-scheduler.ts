import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { recomputeDataset, type RecomputeResult } from './recompute'

/**
 * Recomputes in the background of the app server, coalesced per dataset: an upload batch of many
 * files recomputes once, after its last file, not after each. A request waits a moment for more;
 * while files of the dataset are still being uploaded, queued or imported it waits for them; a
 * request during a recompute runs one more after it (the recompute may have read its state
 * before the new events committed).
 */

const QUIET_MS = 1_000
const timers = new Map<number, NodeJS.Timeout>()
const running = new Map<number, Promise<RecomputeResult>>()
const again = new Set<number>()

async function importsUnderway(datasetId: number): Promise<boolean> {
  const pool = await getPool()
  const { rows } = await pool.query<{ underway: boolean }>(sqlFile('derive/sql/imports-underway.sql'), [datasetId])
  return rows[0].underway
}

export function scheduleRecompute(datasetId: number, delayMs = QUIET_MS): void {
  clearTimeout(timers.get(datasetId))
  timers.set(
    datasetId,
    setTimeout(() => {
      timers.delete(datasetId)
      void start(datasetId)
    }, delayMs).unref(),
  )
}

async function start(datasetId: number): Promise<void> {
  if (running.has(datasetId)) {
    again.add(datasetId)
    return
  }
  try {
    if (await importsUnderway(datasetId)) return scheduleRecompute(datasetId, 2 * QUIET_MS)
  } catch (error) {
    console.error(`[recompute] dataset ${datasetId}: ${(error as Error).message}`)
    return
  }
  const work = recomputeDataset(datasetId)
  running.set(datasetId, work)
  try {
    const result = await work
    if (result.status === 'failed') console.error(`[recompute] dataset ${datasetId} failed: ${result.error}`)
  } catch (error) {
    console.error(`[recompute] dataset ${datasetId}: ${(error as Error).message}`)
  } finally {
    running.delete(datasetId)
    if (again.delete(datasetId)) scheduleRecompute(datasetId, 0)
  }
}
