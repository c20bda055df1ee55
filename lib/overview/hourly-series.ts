import { fromHourOffsets, toHourOffsets, type HourOffsets } from '@/lib/display/hour-offsets'
import type { HourlyActivity } from './get-overview'

/**
 * The overview chart's hours as the page sends them to the browser: one array per field, hour i
 * at `start` + `hours[i]` hours. As objects with named fields, a 30-day dataset's 721 hours were
 * 81 kB of the page's 172 kB, serialised on every request; as arrays of numbers, 14 kB.
 * Pure data, no React: the page builds it on the server, the chart reads it back in the browser.
 */
export interface HourlySeries extends HourOffsets {
  failedSignIns: number[]
  targetedUsernames: number[]
  high: number[]
  moderate: number[]
  low: number[]
}

/** The points (ascending by hour, each on a whole hour) as a series. */
export function toHourlySeries(points: readonly HourlyActivity[]): HourlySeries {
  return {
    ...toHourOffsets(points.map((p) => p.bucket)),
    failedSignIns: points.map((p) => p.failedSignIns),
    targetedUsernames: points.map((p) => p.targetedUsernames),
    high: points.map((p) => p.high),
    moderate: points.map((p) => p.moderate),
    low: points.map((p) => p.low),
  }
}

/** The series back as points, as toHourlySeries was given them. */
export function fromHourlySeries(series: HourlySeries): HourlyActivity[] {
  return fromHourOffsets(series).map((bucket, i) => ({
    bucket,
    failedSignIns: series.failedSignIns[i],
    targetedUsernames: series.targetedUsernames[i],
    high: series.high[i],
    moderate: series.moderate[i],
    low: series.low[i],
  }))
}
