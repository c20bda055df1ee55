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

// Never inside a value: a user name and an error code have had their NUL characters removed
// (lib/ingest/normalise.ts), and an IP address or an hour's number never has one.
const SEP = '\u0000'

interface Group {
  list: RollupCell[]
  /** By client app and user agent, once the list is long. */
  index: Map<string, RollupCell> | null
}

export class HourlyRollup {
  // Keyed by hour, IP, user and code; the few cells under one key differ by client app and user
  // agent, compared as they are: hashing every event's user agent (~100 characters) into the key
  // cost more than the rest of the grouping.
  private cells = new Map<string, Group>()
  private held = 0

  /**
   * A stored event. Only what the detection can count is kept: an IP address, a user name and an
   * error code (the rule sql/merge-rollup.sql applied before this class, kept the same).
   */
  add(event: NormalisedEvent): void {
    if (event.ipAddress === null || event.userPrincipalName === '' || event.errorCode === null) return
    const bucket = Math.floor(event.createdAt / HOUR_MS) * HOUR_MS
    const key = bucket + SEP + event.ipAddress + SEP + event.userPrincipalName + SEP + event.errorCode
    const time = event.createdAt
    const app = event.appDisplayName
    const clientApp = event.clientAppUsed
    const userAgent = event.userAgent
    let group = this.cells.get(key)
    const cell = group === undefined ? undefined : group.index ? group.index.get(clientApp + SEP + userAgent) : group.list.find((c) => c.clientApp === clientApp && c.userAgent === userAgent)
    if (cell === undefined) {
      const created: RollupCell = {
        bucket,
        ip: event.ipAddress,
        clientApp,
        userAgent,
        upn: event.userPrincipalName,
        code: event.errorCode,
        attempts: 1,
        first: time,
        last: time,
        apps: app === '' ? [] : [app],
      }
      if (group === undefined) this.cells.set(key, (group = { list: [], index: null }))
      group.list.push(created)
      // A source rotating user agents for one user: look them up by hash, not one by one.
      if (group.index === null && group.list.length > 8) group.index = new Map(group.list.map((c) => [c.clientApp + SEP + c.userAgent, c]))
      else group.index?.set(clientApp + SEP + userAgent, created)
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
    for (const [key, { list }] of this.cells) {
      if (!all && current.has(list[0].bucket)) continue
      for (const cell of list) {
        out.push(cell)
        this.held -= Math.max(1, cell.apps.length)
      }
      this.cells.delete(key)
    }
    return out
  }
}

const NEEDS_ESCAPE = /[\\\t\n\r]/

/** A text value as COPY's text format writes it (backslash, tab, newline and carriage return escaped). */
export function field(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}

// An array literal element: double-quoted, with backslash and quote escaped (then COPY's escaping).
function arrayLiteral(values: readonly string[]): string {
  // Most cells name one app or none.
  if (values.length === 0) return '{}'
  if (values.length === 1 && !/[\\"]/.test(values[0])) return '{"' + values[0] + '"}'
  return '{' + values.map((v) => '"' + v.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}'
}

/** ingest_rollup_staging columns, as rollupCopyText() writes them (sql/create-staging.sql). */
export const ROLLUP_STAGING_COLUMNS = ['bucket', 'ip_address', 'client_app_used', 'user_agent', 'user_principal_name', 'error_code', 'attempts', 'first_seen', 'last_seen', 'app_names'] as const

/**
 * The rows as COPY text lines for ingest_rollup_staging. Times are written once where they
 * repeat: an hour's cells come together (its text is made once for them), and most cells hold
 * one event (last = first), so most lines need one Date#toISOString instead of three.
 */
export function rollupCopyText(cells: readonly RollupCell[]): string[] {
  let hour = Number.NaN
  let hourText = ''
  return cells.map((c) => {
    if (c.bucket !== hour) {
      hour = c.bucket
      hourText = new Date(hour).toISOString()
    }
    const first = c.first === hour ? hourText : new Date(c.first).toISOString()
    const last = c.last === c.first ? first : new Date(c.last).toISOString()
    return (
      hourText + '\t' +
      c.ip + '\t' +
      field(c.clientApp) + '\t' +
      field(c.userAgent) + '\t' +
      field(c.upn) + '\t' +
      field(c.code) + '\t' +
      c.attempts + '\t' +
      first + '\t' +
      last + '\t' +
      field(arrayLiteral(c.apps)) + '\n'
    )
  })
}
