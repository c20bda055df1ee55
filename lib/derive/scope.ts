import type { ClientBase } from 'pg'
import { sqlFile } from '@/lib/sql-file'

/**
 * What one recompute looks at. Appended events can only change the findings of the rule's
 * windows they fall in, and the windows, yield and sliding peaks of the sources they come from:
 * the time range is the appended events' [first, last] widened to whole rule windows, the
 * sources are the IPs with a sign-in in it. A full recompute (new settings, a dataset never
 * computed, a retry asked for in full) looks at everything.
 */
export interface DeriveScope {
  full: boolean
  /** Inclusive start of the rule's buckets recomputed; null: from the dataset's start. */
  from: Date | null
  /** Exclusive end; null: to the dataset's end. */
  to: Date | null
  /** How many source IPs the scope holds (in the derive_scope table). */
  sourceIps: number
  /** The highest finding id before the recompute: findings it adds have higher ones. */
  lastFindingId: number
}

/** The time range of the rule's windows (of `windowMinutes`, on the epoch's grid) that [first, last] touches. */
export function windowRange(first: Date, last: Date, windowMinutes: number): { from: Date; to: Date } {
  const size = windowMinutes * 60_000
  const from = Math.floor(first.getTime() / size) * size
  const to = (Math.floor(last.getTime() / size) + 1) * size
  return { from: new Date(from), to: new Date(to) }
}

/**
 * Creates the recompute's derive_scope table and the tables in which detectors leave what they
 * changed for the ones after them (create-change-tables.sql; all dropped at commit or rollback)
 * and says what the scope holds. `dirty` null: everything.
 */
export async function createScope(db: ClientBase, datasetId: number, dirty: { from: Date; to: Date } | null, windowMinutes: number): Promise<DeriveScope> {
  const range = dirty ? windowRange(dirty.from, dirty.to, windowMinutes) : null
  await db.query(sqlFile('derive/sql/create-scope.sql'))
  const filled = await db.query(sqlFile('derive/sql/fill-scope.sql'), [datasetId, range?.from ?? null, range?.to ?? null])
  await db.query(sqlFile('derive/sql/analyze-scope.sql'))
  await db.query(sqlFile('derive/sql/create-change-tables.sql'))
  const { rows } = await db.query<{ id: number }>(sqlFile('derive/sql/last-finding-id.sql'))
  return { full: range === null, from: range?.from ?? null, to: range?.to ?? null, sourceIps: filled.rowCount ?? 0, lastFindingId: rows[0].id }
}
