import { performance } from 'node:perf_hooks'
import type { ClientBase, PoolClient } from 'pg'
import { lockDataset } from '@/lib/datasets/dataset-lock'
import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { datasetSettings } from '@/lib/tuning/settings-store'
import { datasetsNotCurrent, markFullRecompute, type FullCause, type RecomputeRun } from './derived-state'
import { DETECTORS, type RecomputeCause } from './detectors'
import { createScope, scopeFailureCodes } from './scope'

/**
 * The one place derived state is recomputed: after imports (once per CLI call, upload batch or
 * connector run), settings changes, retries and at start. One transaction holding the dataset's
 * lock (lib/datasets/dataset-lock.ts), so it never mixes snapshots with an import or a settings
 * change; it runs the detectors (./detectors.ts) in order over what the imports since the last
 * recompute touched, and commits them with "up to date". If any detector fails, nothing of it is
 * kept, the dataset says which detector failed and why, and what was to be recomputed stays to
 * be recomputed: the events are never touched.
 */

export interface RecomputeResult {
  datasetId: number
  /** skipped: there was nothing to recompute. */
  status: 'current' | 'failed' | 'skipped'
  error: string | null
  run: RecomputeRun | null
}

interface DirtyRow {
  dirty_full: boolean
  full_cause: FullCause | null
  dirty_from: Date | null
  dirty_to: Date | null
  requested_at: Date | null
}

function causeOf(dirty: DirtyRow): RecomputeCause {
  if (dirty.dirty_from !== null) return 'import'
  return dirty.full_cause === 'settings' ? 'settings' : 'recompute'
}

/**
 * Whether the dataset's findings were never computed: its first recompute, after its first
 * imports, is full, which gives the same result for a fraction of the cost (never-computed.sql).
 */
async function neverComputed(client: PoolClient, datasetId: number): Promise<boolean> {
  const { rows } = await client.query<{ never: boolean }>(sqlFile('derive/sql/never-computed.sql'), [datasetId])
  return rows[0]?.never ?? false
}

/**
 * Before a full recompute: the dataset's partitions analysed when their statistics missed a
 * doubling of the dataset (stale-statistics.sql), so its plans never rest on a dataset a fraction
 * of its size. Inside the recompute's transaction, so the statistics it plans with are the ones
 * it took; the lock it holds on the two partitions only keeps another ANALYZE or VACUUM of them
 * waiting, never an import (which waits for the dataset's lock anyway).
 */
async function refreshStaleStatistics(client: PoolClient, datasetId: number): Promise<void> {
  const { rows } = await client.query<{ stale: boolean; rows: string }>(sqlFile('derive/sql/stale-statistics.sql'), [datasetId])
  if (rows[0]?.stale) await client.query(sqlFile('derive/sql/analyze-partitions.sql'), [datasetId, rows[0].rows])
}

async function rollback(client: PoolClient): Promise<void> {
  await client.query('ROLLBACK').catch(() => {})
}

/**
 * Recomputes what is left to recompute of one dataset (everything with `full`) and waits for it.
 * Never throws for a failing detector: the result (and the dataset's derived state) says so.
 */
export async function recomputeDataset(datasetId: number, options: { full?: boolean } = {}): Promise<RecomputeResult> {
  const pool = await getPool()
  if (options.full) await markFullRecompute(pool, datasetId, 'retry')
  const claimed = await pool.query(sqlFile('derive/sql/mark-running.sql'), [datasetId])
  if (claimed.rowCount === 0) return { datasetId, status: 'skipped', error: null, run: null }

  const started = performance.now()
  const run: RecomputeRun = { full: false, cause: 'import', from: null, to: null, sourceIps: 0, phases: [], totalMs: 0 }
  const client = await pool.connect()
  let current: string | null = null
  try {
    await client.query('BEGIN')
    await lockDataset(client, datasetId)
    await useRecomputeSettings(client)
    const { rows } = await client.query<DirtyRow>(sqlFile('derive/sql/read-dirty.sql'), [datasetId])
    const dirty = rows[0]
    if (!dirty || (!dirty.dirty_full && dirty.dirty_from === null)) {
      // Another recompute did it while this one waited for the lock.
      await client.query(sqlFile('derive/sql/mark-idle.sql'), [datasetId])
      await client.query('COMMIT')
      return { datasetId, status: 'skipped', error: null, run: null }
    }
    const settings = await datasetSettings(datasetId, client)
    const full = dirty.dirty_full || (await neverComputed(client, datasetId))
    if (full) await refreshStaleStatistics(client, datasetId)
    const scope = await createScope(client, datasetId, full ? null : { from: dirty.dirty_from!, to: dirty.dirty_to! }, settings.windowMinutes, scopeFailureCodes(settings))
    const cause = causeOf(dirty)
    Object.assign(run, { full: scope.full, cause, from: scope.from?.toISOString() ?? null, to: scope.to?.toISOString() ?? null, sourceIps: scope.sourceIps })
    for (const detector of DETECTORS) {
      current = detector.name
      const t = performance.now()
      const output = await detector.run({ db: client, datasetId, settings, scope, cause })
      const findings = (output as { findings?: unknown } | null)?.findings
      run.phases.push({ detector: detector.name, ms: Math.round(performance.now() - t), ...(typeof findings === 'number' ? { findings } : {}) })
    }
    current = null
    run.totalMs = Math.round(performance.now() - started)
    await client.query(sqlFile('derive/sql/mark-current.sql'), [datasetId, JSON.stringify(run), dirty.requested_at])
    await client.query('COMMIT')
    return { datasetId, status: 'current', error: null, run }
  } catch (error) {
    await rollback(client)
    const reason = current ? `${current}: ${(error as Error).message}` : (error as Error).message
    run.totalMs = Math.round(performance.now() - started)
    if (current) run.failedAt = current
    await pool.query(sqlFile('derive/sql/mark-failed.sql'), [datasetId, reason, JSON.stringify(run)]).catch(() => {})
    return { datasetId, status: 'failed', error: reason, run }
  } finally {
    client.release()
  }
}

/**
 * Recomputes every dataset that is not up to date: pending ones, failed ones (the automatic
 * retry), and ones a stopped process left "running". Run at start.
 */
export async function recomputePending(): Promise<RecomputeResult[]> {
  const results: RecomputeResult[] = []
  for (const id of await datasetsNotCurrent()) results.push(await recomputeDataset(id))
  return results
}

/** The session settings a recompute's transaction runs with (the bench times its statements under them too). */
export async function useRecomputeSettings(client: ClientBase): Promise<void> {
  // The detectors sort and hash the dataset's sources; the server's default spills to disk.
  await client.query("SET LOCAL work_mem = '64MB'")
  // No JIT, scoped or full: a scoped run's statements read little, but their per-source LATERAL
  // reads are priced above jit_above_cost (compiling each took 30-80 ms, more than it ran); a
  // full run's long CTEs over big tables compiled for longer than it saved (escalations at 10 M
  // events: 15.2 s with JIT, 3.4 s of it compiling, and 10.9 s without).
  await client.query('SET LOCAL jit = off')
}
