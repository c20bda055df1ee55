import type { NormalisedEvent } from './types'

/**
 * What each stored event adds to sign_in_hourly_summary (per dataset, hour and error code: how
 * many events, and how many lack each field the detection groups by), gathered in the import's
 * batches and merged by sql/merge-summary.sql in the import's transaction. The overview, the
 * dataset list and the completeness report read these few rows instead of the events.
 */

const HOUR_MS = 3_600_000

// One bit per count of the summary row, in the order of COUNTS.
const COUNTS = [
  'interactive',
  'non_interactive',
  'without_user_agent',
  'without_client_app',
  'without_app',
  'without_location',
  'without_asn',
  'without_ip',
  'without_upn',
] as const

export function summaryFlags(event: NormalisedEvent): number {
  return (
    (event.isInteractive === true ? 1 : 0) |
    (event.isInteractive === false ? 2 : 0) |
    (event.userAgent === '' ? 4 : 0) |
    (event.clientAppUsed === '' ? 8 : 0) |
    (event.appDisplayName === '' ? 16 : 0) |
    (event.locationCountry === null ? 32 : 0) |
    (event.autonomousSystem === null ? 64 : 0) |
    (event.ipAddress === null ? 128 : 0) |
    (event.userPrincipalName === '' ? 256 : 0)
  )
}

interface Cell {
  bucket: number
  code: string
  events: number
  counts: number[]
  first: number
  last: number
}

export class HourlySummary {
  private readonly cells = new Map<string, Cell>()

  get size(): number {
    return this.cells.size
  }

  /** One stored event: its time, error code (null: none) and summaryFlags(). */
  add(time: number, errorCode: string | null, flags: number): void {
    const bucket = Math.floor(time / HOUR_MS) * HOUR_MS
    // '' stands for "no code": the detection's codes are never empty.
    const code = errorCode ?? ''
    const key = `${bucket}|${code}`
    let cell = this.cells.get(key)
    if (!cell) {
      cell = { bucket, code, events: 0, counts: COUNTS.map(() => 0), first: time, last: time }
      this.cells.set(key, cell)
    }
    cell.events++
    for (let bit = 0; bit < COUNTS.length; bit++) if (flags & (1 << bit)) cell.counts[bit]++
    if (time < cell.first) cell.first = time
    if (time > cell.last) cell.last = time
  }

  /** The parameters of sql/merge-summary.sql after the dataset id. */
  params(): unknown[] {
    const cells = [...this.cells.values()]
    return [
      cells.map((c) => new Date(c.bucket)),
      cells.map((c) => c.code),
      cells.map((c) => c.events),
      ...COUNTS.map((_, i) => cells.map((c) => c.counts[i])),
      cells.map((c) => new Date(c.first)),
      cells.map((c) => new Date(c.last)),
    ]
  }
}
