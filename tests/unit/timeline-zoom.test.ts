import { describe, expect, it } from 'vitest'
import { fillBins, initialZoom, zoomFromParam, zoomParam } from '@/lib/ips/timeline-zoom'

const HOUR = 3_600_000
const T0 = Date.parse('2026-02-10T09:00:00Z')

/** Hourly points from `hours` (offset → attempts), filled with empty hours as the chart fills them. */
function hourly(activity: Record<number, number>): { bucket: string; attempts: number }[] {
  const last = Math.max(...Object.keys(activity).map(Number))
  return Array.from({ length: last + 1 }, (_, h) => ({ bucket: new Date(T0 + h * HOUR).toISOString(), attempts: activity[h] ?? 0 }))
}

describe('where the IP timeline opens', () => {
  it('activity of 12 hours or less opens whole (the 5-minute bins show it all)', () => {
    expect(initialZoom(hourly({ 0: 40 }))).toBeNull()
    expect(initialZoom(hourly({ 0: 40, 11: 3 }))).toBeNull()
  })

  it('a 20-minute burst with one sign-in two days later opens on the burst', () => {
    const points = hourly({ 0: 60, 49: 1 })
    expect(points).toHaveLength(50)
    expect(initialZoom(points)).toEqual({ startIndex: 0, endIndex: 0 })
    // The burst need not be first.
    expect(initialZoom(hourly({ 0: 1, 30: 25, 31: 35 }))).toEqual({ startIndex: 30, endIndex: 31 })
  })

  it('the busiest window spans at most 12 hours and is trimmed to its active hours', () => {
    const zoom = initialZoom(hourly({ 0: 1, 20: 40, 25: 30, 31: 30, 33: 5, 60: 1 }))
    expect(zoom).toEqual({ startIndex: 20, endIndex: 31 })
  })

  it('activity spread over days (no 12 hours hold three quarters of it) opens whole, hourly', () => {
    expect(initialZoom(hourly({ 0: 50, 30: 50 }))).toBeNull()
    expect(initialZoom(hourly(Object.fromEntries(Array.from({ length: 48 }, (_, h) => [h, 5]))))).toBeNull()
    expect(initialZoom([])).toBeNull()
  })

  it('the link keeps the zoom: two hours, or all for the whole span; stale values are ignored', () => {
    const points = hourly({ 0: 60, 49: 1 })
    expect(zoomParam(points, { startIndex: 2, endIndex: 5 })).toBe('2026-02-10T11,2026-02-10T14')
    expect(zoomFromParam('2026-02-10T11,2026-02-10T14', points)).toEqual({ startIndex: 2, endIndex: 5 })
    expect(zoomFromParam('all', points)).toBe('whole')
    expect(zoomFromParam('2026-02-10T14,2026-02-10T11', points)).toBeNull()
    expect(zoomFromParam('2025-01-01T00,2025-01-01T01', points)).toBeNull()
    expect(zoomFromParam(null, points)).toBeNull()
  })
})

describe('5-minute bins', () => {
  it('every bin of the zoomed range is on the chart, the empty ones empty', () => {
    const empty = (bucket: string) => ({ bucket, attempts: 0 })
    const bins = fillBins([{ bucket: '2026-02-10T10:05:00.000Z', attempts: 10 }, { bucket: '2026-02-10T10:20:00.000Z', attempts: 4 }], '2026-02-10T10:00:00.000Z', '2026-02-10T11:00:00.000Z', 5, empty)
    expect(bins).toHaveLength(12)
    expect(bins.map((b) => b.attempts)).toEqual([0, 10, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0])
    expect(bins[11].bucket).toBe('2026-02-10T10:55:00.000Z')
  })
})
