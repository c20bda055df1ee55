import { describe, expect, it } from 'vitest'
import type { HourlyActivity } from '@/lib/overview/get-overview'
import { fromHourlySeries, toHourlySeries } from '@/lib/overview/hourly-series'

const point = (bucket: string, failedSignIns: number, high = 0, moderate = 0, low = 0): HourlyActivity => ({
  bucket,
  failedSignIns,
  targetedUsernames: Math.ceil(failedSignIns / 2),
  high,
  moderate,
  low,
})

describe('the overview chart series', () => {
  it('gives back the points it was given, gaps and a daylight-saving night included', () => {
    const points = [
      point('2026-03-28T22:00:00.000Z', 12, 1),
      point('2026-03-28T23:00:00.000Z', 0, 0, 2),
      // Europe's clocks go forward in the night of 29 March: UTC hours stay one apart.
      point('2026-03-29T02:00:00.000Z', 340, 0, 0, 3),
      point('2026-04-30T23:00:00.000Z', 5),
    ]
    const series = toHourlySeries(points)
    expect(series.start).toBe('2026-03-28T22:00:00.000Z')
    expect(series.hours).toEqual([0, 1, 4, 793])
    expect(series.failedSignIns).toEqual([12, 0, 340, 5])
    expect(fromHourlySeries(series)).toEqual(points)
  })

  it('is empty for no hours', () => {
    expect(toHourlySeries([])).toEqual({ start: null, hours: [], failedSignIns: [], targetedUsernames: [], high: [], moderate: [], low: [] })
    expect(fromHourlySeries(toHourlySeries([]))).toEqual([])
  })

  it('is several times smaller than the points as the page sent them, for a month of hours', () => {
    const month = Array.from({ length: 721 }, (_, i) => point(new Date(Date.UTC(2026, 1, 10) + i * 3_600_000).toISOString(), 150 + (i % 700), i % 3, i % 5, i % 7))
    const before = JSON.stringify(month).length
    const after = JSON.stringify(toHourlySeries(month)).length
    expect(after * 4).toBeLessThan(before)
  })
})
