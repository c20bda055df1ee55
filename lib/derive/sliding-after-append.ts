import type { ClientBase } from 'pg'
import type { ExtendedSettings } from '@/lib/detection/extended-settings'
import { sqlFile } from '@/lib/sql-file'
import type { DeriveScope } from './scope'
import { peaks, refreshSlidingFindings, storeSlidingPeaks, type WindowRow } from './window-findings'

/**
 * The sliding windows after an append, read around the appended hours instead of over each
 * source's whole history (which, for an office NAT failing now and then, read the events of
 * every busy hour it ever had, again after every append). Gives what the full computation gives:
 *
 * - Only the sources with a failure of the rule's codes in the appended hours [from, to) can have
 *   other windows, and only windows starting in CHANGED = [from - W - 1 h, to) (W the sliding
 *   window; a window starting at s counts the failures of [s, s + W) and is looked at when the
 *   hours [hour(s), hour(s) + W + 1 h) reach a higher tier than their busiest hour).
 * - Peaks are chosen greedily, strongest first, among non-overlapping windows (starts less than W
 *   apart overlap), and a peak is laid over the hourly findings it overlaps (starts less than
 *   D = W + the rule's window apart can overlap the same one). So windows whose starts are D or
 *   more apart never influence each other: a source's windows fall into "clusters" (starts less
 *   than D apart, chained), and the peaks and findings of a cluster depend on that cluster alone.
 * - Appended events leave every window outside CHANGED as it was. A cluster with no window within
 *   D of CHANGED was a cluster of its own before as well (a window of CHANGED it was chained to
 *   would have been within D of it), so its peaks and what they were laid over are unchanged.
 *   The clusters within D of CHANGED are recomputed, whole: their extent, with CHANGED, is the
 *   source's recomputed extent X, whose stored peaks are replaced.
 * - The windows are read for the hours of CHANGED widened by a margin (sliding-windows.sql with a
 *   time range: the windows starting in it, but for the last W + 1 h, are exact). When a cluster
 *   to recompute comes within D of the margin's edge it may reach beyond it, and the whole
 *   history is read instead, as in a full recompute.
 *
 * Everything else of the scope's addresses (their other sources, and the peaks outside X) is
 * stored again as it was (sliding-state.sql), because storing the sliding peaks replaces all of
 * theirs (window-findings.ts). tests/integration/recompute-property.test.ts checks the result
 * equals a recompute from scratch after every append.
 */

const HOUR = 3_600_000
/** How far beyond CHANGED the windows are read, in D: a cluster reaching further falls back. */
const MARGIN_IN_D = 4

/** How the sliding windows were recomputed after appends in this process (for tests and runs). */
export const slidingAfterAppendRuns = { scoped: 0, wholeHistory: 0 }

const sourceKey = (w: Pick<WindowRow, 'ip_address' | 'client_app_used' | 'user_agent'>) => JSON.stringify([w.ip_address, w.client_app_used, w.user_agent])

interface Span {
  start: number
  end: number
}

export async function refreshSlidingFindingsAfterAppend(db: ClientBase, datasetId: number, settings: ExtendedSettings, scope: DeriveScope): Promise<{ scoped: boolean }> {
  if (scope.full || !scope.from || !scope.to) {
    await refreshSlidingFindings(db, datasetId, settings)
    return { scoped: false }
  }
  const minutes = settings.slidingWindowMinutes
  const W = minutes * 60_000
  const D = W + Math.max(settings.windowMinutes, 60) * 60_000
  const fromHour = Math.floor(scope.from.getTime() / HOUR) * HOUR
  const toHour = Math.ceil(scope.to.getTime() / HOUR) * HOUR
  const changed: Span = { start: fromHour - W - HOUR, end: toHour }
  // Whole hours: the windows are read from the rollup's hours of [exact.start, exact.end + W + 1 h).
  const exact: Span = {
    start: Math.floor((changed.start - MARGIN_IN_D * D) / HOUR) * HOUR,
    end: Math.ceil((changed.end + MARGIN_IN_D * D) / HOUR) * HOUR,
  }

  const { rows: touchedRows } = await db.query<WindowRow>(sqlFile('derive/sql/window-sources-in-range.sql'), [datasetId, new Date(fromHour), new Date(toHour), settings.errorCodes])
  const touched = new Set(touchedRows.map(sourceKey))
  const { rows } = await db.query<WindowRow>(sqlFile('detection/sql/sliding-windows.sql'), [
    datasetId,
    settings.errorCodes,
    new Date(exact.start),
    new Date(Math.ceil((exact.end + W + HOUR) / HOUR) * HOUR),
    `${minutes} minutes`,
    settings.lowThreshold,
    settings.moderateThreshold,
    settings.highThreshold,
  ])

  // Each touched source's exact windows, by start.
  const windows = new Map<string, WindowRow[]>()
  for (const key of touched) windows.set(key, [])
  for (const w of rows) {
    const start = w.window_start.getTime()
    if (start < exact.start || start >= exact.end) continue
    windows.get(sourceKey(w))?.push(w)
  }

  // Each touched source's extent X and its peaks in X; null: a cluster may reach beyond the margin.
  const extents = new Map<string, Span>()
  const fresh: WindowRow[] = []
  for (const [key, list] of windows) {
    list.sort((a, b) => a.window_start.getTime() - b.window_start.getTime())
    const x: Span = { ...changed }
    for (let i = 0; i < list.length; ) {
      let j = i
      while (j + 1 < list.length && list[j + 1].window_start.getTime() - list[j].window_start.getTime() < D) j++
      const first = list[i].window_start.getTime()
      const last = list[j].window_start.getTime()
      if (last > changed.start - D && first < changed.end + D) {
        if (first - D < exact.start || last + D >= exact.end) return wholeHistory(db, datasetId, settings)
        x.start = Math.min(x.start, first)
        x.end = Math.max(x.end, last + 1)
      }
      i = j + 1
    }
    extents.set(key, x)
    fresh.push(...peaks(list.filter((w) => w.window_start.getTime() >= x.start && w.window_start.getTime() < x.end), W))
  }

  // What stays as it was: the stored peaks of the scope's addresses outside the recomputed extents.
  const { rows: stored } = await db.query<WindowRow & { stored_as: 'laid' | 'own' }>(sqlFile('derive/sql/sliding-state.sql'), [datasetId])
  const kept = (w: WindowRow) => {
    const x = extents.get(sourceKey(w))
    const start = w.window_start.getTime()
    return !x || start < x.start || start >= x.end
  }
  const laid = new Map<string, WindowRow>()
  for (const w of stored) if (w.stored_as === 'laid' && kept(w)) laid.set(JSON.stringify([sourceKey(w), w.window_start.getTime()]), w)
  const own = stored.filter((w) => w.stored_as === 'own' && kept(w))
  await storeSlidingPeaks(db, datasetId, settings, [...fresh, ...laid.values()], own)
  slidingAfterAppendRuns.scoped++
  return { scoped: true }
}

async function wholeHistory(db: ClientBase, datasetId: number, settings: ExtendedSettings): Promise<{ scoped: boolean }> {
  await refreshSlidingFindings(db, datasetId, settings)
  slidingAfterAppendRuns.wholeHistory++
  return { scoped: false }
}
