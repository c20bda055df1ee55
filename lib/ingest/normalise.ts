import { createHash } from 'node:crypto'
import ipaddr from 'ipaddr.js'

/**
 * The normalisation every source format shares (docs/formats.md, docs/reference/reference-rule.md):
 * time to UTC truncated to milliseconds, UPN trimmed and lower-cased, IP validated, error code
 * as a string of digits. Written once here so that every format agrees on them.
 */

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i
// Log Analytics "Export to CSV" and Excel re-saves: 9/19/2023, 1:45:17.287 PM / 3/2/2026 10:14:07 AM
const US_LOCALE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([AP]M)?$/i

function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction: string | undefined): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null
  // Digits beyond milliseconds are cut, never rounded: 10:59:59.9999999 stays in the 10:00 hour.
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0
  // Not Date.UTC(year, ...): it reads years 0-99 as 1900-1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millis)
  // The date rolls 31 February over into March; a date that does not exist is an error.
  if (date.getUTCDate() !== day) return null
  return date.getTime()
}

// What a timestamptz column and Date#toISOString both take: years 0001-9999. A number outside
// (a corrupt or mis-scaled epoch value) is a bad row, not a reason to fail the whole import.
const MIN_TIME = -62_135_596_800_000 // 0001-01-01T00:00:00.000Z
const MAX_TIME = 253_402_300_799_999 // 9999-12-31T23:59:59.999Z

function inRange(time: number | null): number | null {
  return time !== null && time >= MIN_TIME && time <= MAX_TIME ? time : null
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0
  const sign = zone[0] === '-' ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'))
}

/**
 * Parses a sign-in timestamp to epoch milliseconds (UTC). Accepts ISO 8601 with 0-7+ fraction
 * digits and `Z` or an offset (no zone means UTC: every export we read writes UTC), the US
 * locale form of Log Analytics and Excel, and epoch milliseconds (LogScale `@timestamp`).
 * Returns null when the text is not a timestamp.
 */
export function parseTimestamp(value: unknown): number | null {
  return inRange(parseTime(value))
}

function parseTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null
  if (typeof value !== 'string') return null
  const text = value.trim()
  if (text === '') return null
  let m = ISO_8601.exec(text)
  if (m) {
    const time = utcMillis(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0), m[7])
    return time === null ? null : time - offsetMinutes(m[8]) * 60_000
  }
  m = US_LOCALE.exec(text)
  if (m) {
    let hour = +m[4]
    const meridiem = m[8]?.toUpperCase()
    if (meridiem) {
      if (hour < 1 || hour > 12) return null
      hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0)
    }
    return utcMillis(+m[3], +m[1], +m[2], hour, +m[5], +(m[6] ?? 0), m[7])
  }
  if (/^\d{12,14}$/.test(text)) return Number(text)
  return null
}

/** UPNs are case-insensitive in Entra ID: one account, one spelling. '' when absent. */
export function normaliseUpn(value: unknown): string {
  return typeof value === 'string' ? stripNul(value).trim().toLowerCase() : ''
}

// ipaddr.IPv4.isValidFourPartDecimal's rule (four decimal octets, 0-255, no leading zeros) as one
// regular expression: ipaddr parses the address into objects first, a tenth of the import's CPU.
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)'
const FOUR_PART_DECIMAL = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`)

/**
 * Returns the address in a form PostgreSQL's inet accepts, or null when empty or not an IP
 * address. Some exporters append a port (`203.0.113.5:443`, `[2001:db8::1]:443`); it is cut.
 */
export function normaliseIp(value: unknown): string | null {
  if (typeof value !== 'string') return null
  let text = value.trim()
  if (text === '') return null
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text)
  if (bracketed) text = bracketed[1]
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'))
  text = text.replace(/%.*$/, '') // IPv6 zone id
  if (FOUR_PART_DECIMAL.test(text)) return text
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text).toRFC5952String()
  return null
}

/** The error code as a trimmed string ('50034' whether the source wrote 50034 or "50034"). */
export function normaliseErrorCode(value: unknown): string | null {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : null
  if (typeof value !== 'string') return null
  const text = stripNul(value).trim()
  return text === '' ? null : text
}

/** Client app and user agent are kept as the log wrote them (not trimmed); absent is ''. */
export function verbatim(value: unknown): string {
  if (typeof value === 'string') return stripNul(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return ''
}

/** A trimmed string, or null when absent or empty. */
export function optional(value: unknown): string | null {
  if (typeof value === 'number') return String(value)
  if (typeof value !== 'string') return null
  const text = stripNul(value).trim()
  return text === '' ? null : text
}

export function optionalBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase()
    if (text === 'true' || text === 'yes' || text === '1') return true
    if (text === 'false' || text === 'no' || text === '0') return false
  }
  return null
}

/** An integer that fits the INTEGER columns it is stored in, else null. */
export function optionalInteger(value: unknown): number | null {
  // A number beyond int4 (e.g. a 4-byte AS number such as 4200000000) must not fail the import's COPY.
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647 ? value : null
  if (typeof value === 'string' && /^\s*\d{1,10}\s*$/.test(value)) {
    const n = Number(value)
    return n <= 2_147_483_647 ? n : null
  }
  return null
}

/**
 * Log Analytics writes dynamic columns either as objects or as JSON text (the non-interactive
 * table, CSV exports, the query API); both read the same here.
 */
export function dynamicObject(value: unknown): Record<string, unknown> | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  if (typeof value === 'string') {
    const text = value.trim()
    if (!text.startsWith('{')) return null
    try {
      const parsed = JSON.parse(text) as unknown
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null
    } catch {
      return null
    }
  }
  return null
}

// PostgreSQL text cannot hold NUL; an attacker-chosen user agent must not be able to fail an import.
function stripNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
}

/** Keeps ids within a btree entry whatever a file claims; long ids are replaced by their hash. */
export function normaliseEventId(value: unknown): string | null {
  const id = optional(value)
  if (id === null) return null
  return id.length <= 200 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`
}

/**
 * For records without an id: a hash of what identifies the sign-in, so the same event read twice
 * (or from two formats) is stored once.
 */
export function contentEventId(parts: readonly (string | number | boolean | null)[]): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`
}
