import type { NormalisedEvent } from './types'

/**
 * The import's share of sign_in_hourly_rollup, grouped in Node as the batches are stored, and
 * sent in pieces to sql/merge-rollup.sql (COPY into a staging table, then one upsert). Grouping
 * here sends ~half as many rows as events (one per hour, source, user and code) and spares the
 * database the sort of every event; grouping the stored events in SQL at the import's end instead
 * cost a serial scan and sort per import (measured: the import's closing grew by half).
 *
 * Memory stays bounded whatever the file: after each batch, the rows of hours that batch did not
 * touch are sent (exports come in time order, ascending or descending, so an hour rarely returns;
 * if one does, the upsert adds it up), and everything is sent whenever more than MAX_HELD keys or
 * app names are held. The app
 * names stay a set here: the rollup keeps the first 10 in the database's collation, which the SQL
 * picks (sql/merge-rollup.sql), so the result is the same however the rows were cut into pieces.
 */

const HOUR_MS = 3_600_000
const MAX_HELD = 100_000

export interface RollupCell {
  bucket: number
  ip: string
  clientApp: string
  userAgent: string
  upn: string
  code: string
  attempts: number
  first: number
  last: number
  apps: string[]
}

// Never inside a value: every value the key is made of has had its NUL characters removed
// (lib/ingest/normalise.ts), and an IP address or an hour's number never has one.
const SEP = '\u0000'

export class HourlyRollup {
  private cells = new Map<string, RollupCell>()
  private held = 0

  /**
   * A stored event. Only what the detection can count is kept: an IP address, a user name and an
   * error code (sql/merge-rollup.sql's rule before this class, kept the same).
   */
  add(event: NormalisedEvent): void {
    if (event.ipAddress === null || event.userPrincipalName === '' || event.errorCode === null) return
    const bucket = Math.floor(event.createdAt / HOUR_MS) * HOUR_MS
    const key = bucket + SEP + event.ipAddress + SEP + event.clientAppUsed + SEP + event.userAgent + SEP + event.userPrincipalName + SEP + event.errorCode
    const time = event.createdAt
    const app = event.appDisplayName
    const cell = this.cells.get(key)
    if (cell === undefined) {
      this.cells.set(key, {
        bucket,
        ip: event.ipAddress,
        clientApp: event.clientAppUsed,
        userAgent: event.userAgent,
        upn: event.userPrincipalName,
        code: event.errorCode,
        attempts: 1,
        first: time,
        last: time,
        apps: app === '' ? [] : [app],
      })
      this.held++
      return
    }
    cell.attempts++
    if (time < cell.first) cell.first = time
    if (time > cell.last) cell.last = time
    if (app !== '' && !cell.apps.includes(app)) {
      cell.apps.push(app)
      this.held++
    }
  }

  /**
   * The rows to send now: with `current`, those of other hours than these (or all of them when
   * too much is held); without, all. They are removed from what is held.
   */
  take(current?: ReadonlySet<number>): RollupCell[] {
    const all = current === undefined || this.held > MAX_HELD
    const out: RollupCell[] = []
    if (all) {
      out.push(...this.cells.values())
      this.cells = new Map()
      this.held = 0
      return out
    }
    for (const [key, cell] of this.cells) {
      if (current!.has(cell.bucket)) continue
      out.push(cell)
      this.cells.delete(key)
      this.held -= 1 + Math.max(0, cell.apps.length - 1)
    }
    return out
  }
}

const NEEDS_ESCAPE = /[\\\t\n\r]/

function field(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}

// An array literal element: double-quoted, with backslash and quote escaped (then COPY's escaping).
function arrayLiteral(values: readonly string[]): string {
  return '{' + values.map((v) => '"' + v.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}'
}

/** ingest_rollup_staging columns, as rollupCopyText() writes them (sql/create-staging.sql). */
export const ROLLUP_STAGING_COLUMNS = ['bucket', 'ip_address', 'client_app_used', 'user_agent', 'user_principal_name', 'error_code', 'attempts', 'first_seen', 'last_seen', 'app_names'] as const

/** The rows as COPY text lines for ingest_rollup_staging. */
export function rollupCopyText(cells: readonly RollupCell[]): string[] {
  return cells.map(
    (c) =>
      new Date(c.bucket).toISOString() + '\t' +
      c.ip + '\t' +
      field(c.clientApp) + '\t' +
      field(c.userAgent) + '\t' +
      field(c.upn) + '\t' +
      field(c.code) + '\t' +
      c.attempts + '\t' +
      new Date(c.first).toISOString() + '\t' +
      new Date(c.last).toISOString() + '\t' +
      field(arrayLiteral(c.apps)) + '\n',
  )
}
