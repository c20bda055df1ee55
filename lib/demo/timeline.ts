/**
 * The demo's clock. Everything is placed relative to the anchor, a UTC midnight ("day 0"). The
 * background covers day -1 to day +1, so with the default anchor (today minus two days) the data
 * ends at the start of today: nothing in the demo lies in the future.
 */

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS

/** The background's span in hours after the anchor: [start, end). */
export const SPAN_HOURS = { start: -24, end: 48 } as const

/** Epoch milliseconds at `minutes` after the anchor. */
export function minutesAfter(anchor: number, minutes: number): number {
  return anchor + minutes * MINUTE_MS
}

/** Minutes after the anchor for "day d, hh:mm UTC". */
export function dayTime(day: number, hour: number, minute = 0): number {
  return day * 24 * 60 + hour * 60 + minute
}

/** The start of the UTC day of `time`. */
export function utcMidnight(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS
}
