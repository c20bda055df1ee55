import { z } from 'zod'

/**
 * One parser for what people type into URLs and bodies, at the edge, before it reaches the
 * database: ids that fit PostgreSQL's integer, dates PostgreSQL can store, text without NUL
 * (PostgreSQL text cannot hold one). API routes answer 400 with the problem; pages fall back to
 * the default or show "not found". Nothing here touches the database.
 */

/** The largest PostgreSQL `integer`: every id column. */
export const MAX_ID = 2_147_483_647

/** A positive integer id, or null (also for 2147483648 and beyond, which no row can have). */
export function parseId(text: string | null | undefined): number | null {
  if (typeof text !== 'string' || !/^\d{1,10}$/.test(text)) return null
  const id = Number(text)
  return id > 0 && id <= MAX_ID ? id : null
}

// ISO 8601 as the pages and the API write it: a date, optionally a time and a zone.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * An ISO 8601 date or time (a date alone is midnight UTC), or null: years 0001 to 9999 (year
 * 0000 does not exist for PostgreSQL), and no calendar overflow (2026-02-31 is not March 3rd).
 */
export function parseDate(text: string | null | undefined): Date | null {
  if (typeof text !== 'string') return null
  const match = ISO_DATE.exec(text.trim())
  if (!match) return null
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = match
  if (Number(year) < 1 || Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null
  const daysInMonth = [31, isLeap(Number(year)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(month) - 1]
  if (Number(day) > daysInMonth) return null
  // A date alone reads as UTC in JavaScript; a time without a zone is UTC here as well.
  const withZone = match[4] !== undefined && match[7] === undefined ? `${text.trim()}Z` : text.trim()
  const date = new Date(withZone.replace(' ', 'T'))
  return Number.isNaN(date.getTime()) ? null : date
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Why a piece of text cannot be stored or searched for, or null when it can. */
export function textProblem(text: string): string | null {
  return text.includes('\u0000') ? 'may not contain a NUL character' : null
}

/** The path of the first string (or key) in a parsed JSON value that cannot be stored, with why. */
export function jsonTextProblem(value: unknown, path = 'body'): string | null {
  if (typeof value === 'string') {
    const problem = textProblem(value)
    return problem ? `${path} ${problem}` : null
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonTextProblem(value[i], `${path}[${i}]`)
      if (problem) return problem
    }
    return null
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (textProblem(key)) return `${path} has a key that ${textProblem(key)}`
      const problem = jsonTextProblem(item, `${path}.${key}`)
      if (problem) return problem
    }
  }
  return null
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams

function entries(params: Params): [string, string][] {
  if (params instanceof URLSearchParams) return [...params.entries()]
  return Object.entries(params).flatMap(([key, value]) => (value === undefined ? [] : [value].flat().map((v): [string, string] => [key, v])))
}

/**
 * The parameters that mean the same on every route, checked for every API request: `dataset`
 * (ids), `from` / `to` (ISO 8601), and no NUL in any name or value. Null when all is well.
 */
export function commonQueryProblem(params: Params): string | null {
  for (const [key, value] of entries(params)) {
    if (textProblem(key) || textProblem(value)) return `parameter ${JSON.stringify(key.replace(/\u0000/g, '\\0'))} ${textProblem(value) ?? textProblem(key)}`
    if (key === 'dataset' && parseId(value) === null) return `dataset must be a dataset id (a positive integer up to ${MAX_ID}), not ${JSON.stringify(value)}`
    if ((key === 'from' || key === 'to') && value !== '' && parseDate(value) === null) return `${key} must be an ISO 8601 date or time (year 0001 to 9999), not ${JSON.stringify(value)}`
  }
  return null
}

/** Text from a page's URL, or null when it cannot be searched for (a page then ignores it). */
export function pageText(text: string | undefined): string | null {
  return text === undefined || textProblem(text) ? null : text
}

/** An ISO 8601 time in a JSON body (UTC, `…Z`) that PostgreSQL can store. */
export const isoTimeSchema = z
  .string()
  .datetime()
  .refine((value) => parseDate(value) !== null, 'must be a time in the years 0001 to 9999')

/** A row id in a JSON body: a positive integer PostgreSQL's integer can hold. */
export const idSchema = z.number().int().positive().max(MAX_ID, `must be an id up to ${MAX_ID}`)
