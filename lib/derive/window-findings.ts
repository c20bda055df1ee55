import type { ClientBase } from 'pg'
import { LINKING } from '@/lib/campaigns/linking-rules'
import { ruleSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { detectionParameters } from '@/lib/detection/enumeration'
import { sqlFile } from '@/lib/sql-file'
import { upsertFindingsSql } from './hourly-findings'

/**
 * Findings beyond the rule's fixed hours, per source (IP, client app, user agent) over its whole
 * history, for the source IPs of the recompute's scope (derive_scope):
 *   - sliding-window peaks: laid over the hourly findings they overlap (the "split by the hour"
 *     badge), or findings of their own where no fixed hour caught them;
 *   - low-and-slow findings over a long window, for sources that mostly fail (not an office
 *     NAT's day of typos), unless one shorter finding inside a window holds half its names.
 * A source's windows depend on its own events alone, so a source outside the scope keeps its own.
 */

export interface WindowRow {
  ip_address: string
  client_app_used: string
  user_agent: string
  window_start: Date
  unique_usernames: number
}

/** The strongest non-overlapping windows of each source: the peaks worth reporting. */
export function peaks(windows: WindowRow[], windowMs: number): WindowRow[] {
  const bySource = new Map<string, WindowRow[]>()
  for (const w of windows) {
    const key = JSON.stringify([w.ip_address, w.client_app_used, w.user_agent])
    const list = bySource.get(key)
    if (list) list.push(w)
    else bySource.set(key, [w])
  }
  const chosen: WindowRow[] = []
  for (const list of bySource.values()) {
    const ranked = [...list].sort((a, b) => b.unique_usernames - a.unique_usernames || a.window_start.getTime() - b.window_start.getTime())
    // Starts of the windows taken so far, in order: equal-length windows overlap only when their
    // starts are less than a window apart, so the neighbours on either side settle it.
    const starts: number[] = []
    for (const w of ranked) {
      const start = w.window_start.getTime()
      let lo = 0
      let hi = starts.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (starts[mid] < start) lo = mid + 1
        else hi = mid
      }
      const clearBefore = lo === 0 || starts[lo - 1] + windowMs <= start
      const clearAfter = lo === starts.length || start + windowMs <= starts[lo]
      if (clearBefore && clearAfter) {
        starts.splice(lo, 0, start)
        chosen.push(w)
      }
    }
  }
  return chosen.sort((a, b) => a.window_start.getTime() - b.window_start.getTime())
}

function windowParameters(datasetId: number, settings: ExtendedSettings, windowMinutes: number, threshold: number): unknown[] {
  return [datasetId, settings.errorCodes, null, null, `${windowMinutes} minutes`, threshold]
}

/** Stores windows as findings of a kind, with the rule's measures (describe-windows.sql). */
async function storeWindowFindings(
  db: ClientBase,
  datasetId: number,
  kind: 'sliding' | 'low_and_slow',
  windows: WindowRow[],
  rule: { windowMinutes: number; low: number; moderate: number; high: number },
  settings: ExtendedSettings,
): Promise<void> {
  const sql = upsertFindingsSql(kind, sqlFile('detection/sql/describe-windows.sql'))
  const base = detectionParameters(
    { datasetIds: [datasetId] },
    { ...ruleSettings(settings), windowMinutes: rule.windowMinutes, lowThreshold: rule.low, moderateThreshold: rule.moderate, highThreshold: rule.high },
  )
  await db.query(sql, [
    ...base,
    windows.map((w) => w.ip_address),
    windows.map((w) => w.client_app_used),
    windows.map((w) => w.user_agent),
    windows.map((w) => w.window_start),
  ])
}

export async function refreshSlidingFindings(db: ClientBase, datasetId: number, settings: ExtendedSettings): Promise<void> {
  const minutes = settings.slidingWindowMinutes
  const { rows } = await db.query<WindowRow>(sqlFile('detection/sql/sliding-windows.sql'), [
    ...windowParameters(datasetId, settings, minutes, settings.lowThreshold),
    settings.moderateThreshold,
    settings.highThreshold,
  ])
  await storeSlidingPeaks(db, datasetId, settings, peaks(rows, minutes * 60_000))
}

/**
 * Lays the peaks `top` over the hourly findings of derive_scope's addresses (those no peak
 * overlaps lose theirs) and stores the peaks no hourly finding overlaps, and `alsoOwn`, as sliding
 * findings; the other sliding findings of those addresses are removed. A scoped recompute passes
 * what it recomputed and what it keeps (./sliding-after-append.ts).
 */
export async function storeSlidingPeaks(db: ClientBase, datasetId: number, settings: ExtendedSettings, top: WindowRow[], alsoOwn: WindowRow[] = []): Promise<void> {
  const minutes = settings.slidingWindowMinutes
  const unmatched = await db.query<{ ord: number }>(sqlFile('findings/sql/annotate-sliding-peaks.sql'), [
    datasetId,
    top.map((w) => w.ip_address),
    top.map((w) => w.client_app_used),
    top.map((w) => w.user_agent),
    top.map((w) => w.window_start),
    top.map((w) => w.unique_usernames),
    `${minutes} minutes`,
    settings.lowThreshold,
    settings.moderateThreshold,
    settings.highThreshold,
  ])
  const own = [...unmatched.rows.map((r) => top[r.ord - 1]), ...alsoOwn]
  await storeWindowFindings(db, datasetId, 'sliding', own, { windowMinutes: minutes, low: settings.lowThreshold, moderate: settings.moderateThreshold, high: settings.highThreshold }, settings)
}

export async function refreshLowAndSlowFindings(db: ClientBase, datasetId: number, settings: ExtendedSettings): Promise<void> {
  const minutes = settings.lowAndSlowWindowHours * 60
  const { rows } = await db.query<WindowRow>(sqlFile('detection/sql/long-windows.sql'), [
    ...windowParameters(datasetId, settings, minutes, settings.lowAndSlowLowThreshold),
    LINKING.minFailureShare,
  ])
  // A long window over a burst the shorter windows already report adds nothing; one where no
  // single shorter finding holds half its names is a slow campaign (a burst inside a week of slow
  // probing must not hide the week, nor may a string of small findings hide the whole they make).
  // Filtered before choosing peaks, so a burst-dominated window cannot crowd out a slow one.
  const windowMs = minutes * 60_000
  const { rows: covered } = await db.query<{ ord: number; covered: number }>(sqlFile('findings/sql/covered-usernames.sql'), [
    datasetId,
    rows.map((w) => w.ip_address),
    rows.map((w) => w.client_app_used),
    rows.map((w) => w.user_agent),
    rows.map((w) => w.window_start),
    `${minutes} minutes`,
    settings.errorCodes,
  ])
  const coveredNames = new Map(covered.map((c) => [c.ord, c.covered]))
  const slowEnough = rows.filter((w, i) => (coveredNames.get(i + 1) ?? 0) * 2 < w.unique_usernames)
  const slow = peaks(slowEnough, windowMs)
  await storeWindowFindings(
    db,
    datasetId,
    'low_and_slow',
    slow,
    { windowMinutes: minutes, low: settings.lowAndSlowLowThreshold, moderate: settings.lowAndSlowModerateThreshold, high: settings.lowAndSlowHighThreshold },
    settings,
  )
}
