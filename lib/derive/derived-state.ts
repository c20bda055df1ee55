import type { ClientBase, Pool } from 'pg'
import { DATASET_LOCK_CLASS } from '@/lib/datasets/dataset-lock'
import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'

/**
 * Whether what is derived from a dataset's events (findings, windows, campaigns, yield,
 * escalations, suppressions) is up to date. Imports only append events and mark the time range
 * they touched; the recompute (./recompute.ts) derives from them afterwards, so an import never
 * fails because of a derived step, and a recompute that fails leaves every event stored and
 * says why here.
 */
export type DerivedStatus = 'current' | 'pending' | 'running' | 'failed'

export type FullCause = 'settings' | 'retry' | 'upgrade'

/** One recompute: what it looked at and how long each detector took. */
export interface RecomputeRun {
  full: boolean
  cause: string
  from: string | null
  to: string | null
  sourceIps: number
  /** findings: how many findings a detector looked at, when it says. */
  phases: { detector: string; ms: number; findings?: number }[]
  totalMs: number
  /** The detector that failed, if it did. */
  failedAt?: string
}

export interface DerivedState {
  status: DerivedStatus
  /** The reason of the last failed recompute (status 'failed'). */
  error: string | null
  requestedAt: string | null
  startedAt: string | null
  finishedAt: string | null
  lastRun: RecomputeRun | null
  failures: number
}

const UP_TO_DATE: DerivedState = { status: 'current', error: null, requestedAt: null, startedAt: null, finishedAt: null, lastRun: null, failures: 0 }

interface StateRow {
  dataset_id: number
  status: DerivedStatus
  error: string | null
  requested_at: Date | null
  started_at: Date | null
  finished_at: Date | null
  last_run: RecomputeRun | null
  failures: number
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)

function toState(row: StateRow): DerivedState {
  return {
    status: row.status,
    error: row.error,
    requestedAt: iso(row.requested_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    lastRun: row.last_run,
    failures: row.failures,
  }
}

/** In an import's transaction (it holds the dataset's lock): events of [first, last] were appended. */
export async function markAppended(db: ClientBase, datasetId: number, first: Date, last: Date): Promise<void> {
  await db.query(sqlFile('derive/sql/mark-appended.sql'), [datasetId, first, last])
}

/** Everything derived from the dataset is to be recomputed (in the caller's transaction, or on its own). */
export async function markFullRecompute(db: ClientBase | Pool, datasetId: number, cause: FullCause): Promise<void> {
  await db.query(sqlFile('derive/sql/mark-full.sql'), [datasetId, cause])
}

/** The derived state of each dataset asked for (up to date when it never had a recompute to do). */
export async function derivedStates(datasetIds: number[], db?: Pool | ClientBase): Promise<Map<number, DerivedState>> {
  const client = db ?? (await getPool())
  const { rows } = await client.query<StateRow>(sqlFile('derive/sql/derived-states.sql'), [datasetIds])
  const byId = new Map(rows.map((r) => [r.dataset_id, toState(r)]))
  return new Map(datasetIds.map((id) => [id, byId.get(id) ?? UP_TO_DATE]))
}

export async function derivedState(datasetId: number, db?: Pool | ClientBase): Promise<DerivedState> {
  return (await derivedStates([datasetId], db)).get(datasetId)!
}

/**
 * Datasets whose recompute nobody is running: pending for more than `seconds` since their last
 * import, or marked running that long by a process that died (sql/left-behind.sql).
 */
export async function datasetsLeftBehind(seconds: number, db?: Pool | ClientBase): Promise<number[]> {
  const client = db ?? (await getPool())
  const { rows } = await client.query<{ dataset_id: number }>(sqlFile('derive/sql/left-behind.sql'), [seconds, DATASET_LOCK_CLASS])
  return rows.map((r) => r.dataset_id)
}

/** Datasets whose derived state is not up to date (pending, running, failed). */
export async function datasetsNotCurrent(db?: Pool | ClientBase): Promise<number[]> {
  const client = db ?? (await getPool())
  const { rows } = await client.query<StateRow>(sqlFile('derive/sql/derived-states.sql'), [null])
  return rows.map((r) => r.dataset_id)
}

/** What an analyst reads about it: null when up to date. */
export function derivedStateMessage(state: DerivedState): string | null {
  switch (state.status) {
    case 'current':
      return null
    case 'pending':
    case 'running':
      return 'findings are being updated: new events are stored and the findings, windows and campaigns derived from them are being recomputed'
    case 'failed':
      return `updating the findings failed: ${state.error ?? 'unknown error'}. Every event is stored; the recompute is retried at the next import or start, or by hand`
  }
}

export interface DerivedNotice {
  datasetId: number
  name: string
  state: DerivedState
}

/** The datasets (of `datasetIds`, or all) whose findings are being updated or failed to update. */
export async function derivedNotices(datasetIds: number[] | null): Promise<DerivedNotice[]> {
  const pool = await getPool()
  const { rows } = await pool.query<StateRow & { name: string }>(sqlFile('derive/sql/derived-notices.sql'), [datasetIds])
  return rows.map((r) => ({ datasetId: r.dataset_id, name: r.name, state: toState(r) }))
}
