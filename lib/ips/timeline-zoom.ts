/**
 * Where an IP's timeline opens (browser-safe, no database). Activity that spans FINE_ZOOM_HOURS or
 * less is shown whole, in 5-minute bins. A longer span opens on where the activity is
 * concentrated: a 20-minute burst with one stray sign-in two days later would otherwise be one
 * bar among 49 hourly slots, and the 5-minute bins that show its shape would never open.
 */

/** Zoomed to this many hours or fewer, the chart shows 5-minute bins read from the events. */
export const FINE_ZOOM_HOURS = 12
export const FINE_BIN_MINUTES = 5
/** A window of FINE_ZOOM_HOURS holding this share of the attempts is where the timeline opens. */
export const CONCENTRATED_SHARE = 0.75

const HOUR = 3_600_000

export interface ZoomRange {
  startIndex: number
  endIndex: number
}

/**
 * The range of hourly points the chart opens on, or null for the whole span. `points` are hourly
 * buckets in time order (gaps allowed). Over FINE_ZOOM_HOURS, it is the window of at most
 * FINE_ZOOM_HOURS hours holding the most attempts (the earliest of equals), trimmed to its first
 * and last hour with attempts, when that window holds CONCENTRATED_SHARE of all of them; activity
 * spread more evenly opens whole, hourly.
 */
export function initialZoom(points: readonly { bucket: string; attempts: number }[]): ZoomRange | null {
  const active = points.map((p, index) => ({ index, time: Date.parse(p.bucket), attempts: p.attempts })).filter((p) => p.attempts > 0)
  if (active.length === 0) return null
  const first = active[0].time
  const last = active[active.length - 1].time
  if (last - first + HOUR <= FINE_ZOOM_HOURS * HOUR) return null
  const total = active.reduce((sum, p) => sum + p.attempts, 0)
  // Two pointers over the active hours: the window [start, end] never spans more than FINE_ZOOM_HOURS.
  let best = { sum: -1, start: 0, end: 0 }
  let sum = 0
  let start = 0
  for (let end = 0; end < active.length; end++) {
    sum += active[end].attempts
    while (active[end].time - active[start].time + HOUR > FINE_ZOOM_HOURS * HOUR) sum -= active[start++].attempts
    if (sum > best.sum) best = { sum, start, end }
  }
  if (best.sum < CONCENTRATED_SHARE * total) return null
  return { startIndex: active[best.start].index, endIndex: active[best.end].index }
}

/** `zoom=<hour>,<hour>` as the link carries it (UTC hours, e.g. 2026-02-10T09). */
export function zoomParam(points: readonly { bucket: string }[], range: ZoomRange): string {
  return `${points[range.startIndex].bucket.slice(0, 13)},${points[range.endIndex].bucket.slice(0, 13)}`
}

/** The value of `zoom` that says "the whole span" when the chart would otherwise open zoomed. */
export const WHOLE_SPAN = 'all'

/**
 * The range a link's `zoom` names: `all` is the whole span, two hours on the chart are that
 * range; anything else (absent, stale, malformed) is null and the chart opens where initialZoom says.
 */
export function zoomFromParam(zoom: string | null, points: readonly { bucket: string }[]): ZoomRange | 'whole' | null {
  if (zoom === WHOLE_SPAN) return 'whole'
  const [from, to] = (zoom ?? '').split(',')
  if (!from || !to) return null
  const startIndex = points.findIndex((p) => p.bucket.startsWith(from))
  const endIndex = points.findIndex((p) => p.bucket.startsWith(to))
  return startIndex >= 0 && endIndex >= startIndex ? { startIndex, endIndex } : null
}

/**
 * Every bin of [from, to), the bins without sign-ins as empty points: a gap in the activity shows
 * as a gap, not as neighbouring bars (the chart's time axis is one slot per point).
 */
export function fillBins<P extends { bucket: string }>(points: readonly P[], from: string, to: string, minutes: number, empty: (bucket: string) => P): P[] {
  const step = minutes * 60_000
  const start = Date.parse(from)
  const end = Date.parse(to)
  // A range too long to fill (the caller asks for at most FINE_ZOOM_HOURS) is shown as it is.
  if (!(end > start) || (end - start) / step > 10_000) return [...points]
  const byTime = new Map(points.map((p) => [Date.parse(p.bucket), p]))
  const filled: P[] = []
  for (let t = start; t < end; t += step) filled.push(byTime.get(t) ?? empty(new Date(t).toISOString()))
  return filled
}
