import { fromHourOffsets, toHourOffsets, type HourOffsets } from '@/lib/display/hour-offsets'
import type { CampaignTimeline } from './campaign-types'

/**
 * A campaign's timeline as its page sends it to the browser: one array of attempts per series,
 * point i at `start` + `hours[i]` hours. As objects (an ISO hour and a map from series name to
 * attempts per point), a month-long campaign's 720 hours repeated up to eleven IP addresses per
 * hour, most of the page; as arrays of numbers, the names go once. Pure data, no React: the page
 * builds it on the server, the chart reads it back in the browser.
 */
export interface TimelineSeries extends HourOffsets {
  /** Series names, busiest first; the last one may be OTHER_IPS_SERIES. */
  series: string[]
  otherIpCount: number
  /** Per series (in `series` order), its attempts at each point (0: none). */
  attempts: number[][]
}

export function toTimelineSeries(timeline: CampaignTimeline): TimelineSeries {
  const points = timeline.points
  return {
    series: timeline.series,
    otherIpCount: timeline.otherIpCount,
    ...toHourOffsets(points.map((p) => p.bucket)),
    attempts: timeline.series.map((name) => points.map((p) => p.attemptsBySeries[name] ?? 0)),
  }
}

/** The timeline back as toTimelineSeries was given it (a series without attempts in an hour is left out of that hour). */
export function fromTimelineSeries(series: TimelineSeries): CampaignTimeline {
  return {
    series: series.series,
    otherIpCount: series.otherIpCount,
    points: fromHourOffsets(series).map((bucket, i) => {
      const attemptsBySeries: Record<string, number> = {}
      series.series.forEach((name, s) => {
        if (series.attempts[s][i] !== 0) attemptsBySeries[name] = series.attempts[s][i]
      })
      return { bucket, attemptsBySeries }
    }),
  }
}
