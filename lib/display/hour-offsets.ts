const HOUR_MS = 3_600_000

/**
 * Whole hours as a page sends them to the browser: the first as ISO 8601 and each as whole hours
 * after it, numbers instead of a 24-character string per point (the overview's and a campaign's
 * charts: lib/overview/hourly-series.ts, lib/campaigns/timeline-series.ts).
 */
export interface HourOffsets {
  /** The first hour (ISO 8601), null when there is none. */
  start: string | null
  /** Each hour, in whole hours after `start`, in the order given. */
  hours: number[]
}

/** `buckets`: ISO 8601 whole hours, the first the earliest. */
export function toHourOffsets(buckets: readonly string[]): HourOffsets {
  const first = buckets.length ? Date.parse(buckets[0]) : 0
  return { start: buckets[0] ?? null, hours: buckets.map((bucket) => Math.round((Date.parse(bucket) - first) / HOUR_MS)) }
}

/** The hours back as ISO 8601, as toHourOffsets was given them. */
export function fromHourOffsets(offsets: HourOffsets): string[] {
  if (offsets.start === null) return []
  const first = Date.parse(offsets.start)
  return offsets.hours.map((hour) => new Date(first + hour * HOUR_MS).toISOString())
}
