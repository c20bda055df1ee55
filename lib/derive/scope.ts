import type { ClientBase } from 'pg'
import { campaignErrorCodes } from '@/lib/campaigns/linking-rules'
import { EXISTING_ACCOUNT_CODES, NOT_FOUND_CODES, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { sqlFile } from '@/lib/sql-file'

/**
 * What one recompute looks at. Appended events can only change the findings of the rule's
 * windows they fall in, and the windows, yield and sliding peaks of the sources they come from:
 * the time range is the appended events' [first, last] widened to whole rule windows, the
 * sources are the IPs with a failure of the codes the detectors count in it (fill-scope.sql says
 * why the others cannot change), and every IP with a sign-in in it is in derive_touched for the
 * escalations. A full recompute (new settings, a dataset never computed, a retry asked for in
 * full) looks at everything.
 */
export interface DeriveScope {
  full: boolean
  /** Inclusive start of the rule's buckets recomputed; null: from the dataset's start. */
  from: Date | null
  /** Exclusive end; null: to the dataset's end. */
  to: Date | null
  /** How many source IPs the scope holds (in the derive_scope table: those with failures). */
  sourceIps: number
  /** The highest finding id before the recompute: findings it adds have higher ones. */
  lastFindingId: number
  /**
   * Set by the "source totals" detector: the campaign source totals were brought up to date by adding
   * the appended events, which campaign_source_delta holds (lib/campaigns/source-totals.ts).
   */
  sourceDelta?: boolean
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
export async function createScope(
  db: ClientBase,
  datasetId: number,
  dirty: { from: Date; to: Date } | null,
  windowMinutes: number,
  failureCodes: readonly string[] = [],
): Promise<DeriveScope> {
  const range = dirty ? windowRange(dirty.from, dirty.to, windowMinutes) : null
  await db.query(sqlFile('derive/sql/create-scope.sql'))
  if (range) await db.query(sqlFile('derive/sql/fill-touched.sql'), [datasetId, range.from, range.to])
  // In full: every address, one index descent each (fill-scope-all.sql), not every rollup row.
  const filled = range
    ? await db.query(sqlFile('derive/sql/fill-scope.sql'), [datasetId, range.from, range.to, [...failureCodes]])
    : await db.query(sqlFile('derive/sql/fill-scope-all.sql'), [datasetId])
  await db.query(sqlFile('derive/sql/analyze-scope.sql'))
  await db.query(sqlFile('derive/sql/create-change-tables.sql'))
  const { rows } = await db.query<{ id: number }>(sqlFile('derive/sql/last-finding-id.sql'))
  return { full: range === null, from: range?.from ?? null, to: range?.to ?? null, sourceIps: filled.rowCount ?? 0, lastFindingId: rows[0].id }
}

/**
 * The failure codes any detector counts: the rule's, the campaigns' (50126, 50057) and those
 * that confirm an account or say it does not exist (yield, escalations' probed names).
 */
export function scopeFailureCodes(settings: Pick<ExtendedSettings, 'errorCodes'>): string[] {
  return [...new Set([...campaignErrorCodes(settings), ...EXISTING_ACCOUNT_CODES, ...NOT_FOUND_CODES])].sort()
}
