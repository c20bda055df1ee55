import {
  contentEventId,
  normaliseErrorCode,
  normaliseEventId,
  normaliseIp,
  normaliseUpn,
  optional,
  optionalInteger,
  parseTimestamp,
  verbatim,
} from '../normalise'
import type { NormaliseResult, SourceRecord } from '../types'

/** The fields of one sign-in as a format found them, before normalisation. */
export interface FoundFields {
  id: unknown
  time: unknown
  /** Where the time came from, for the rejection message. */
  timeField: string
  userPrincipalName: unknown
  ipAddress: unknown
  clientAppUsed: unknown
  userAgent: unknown
  appDisplayName: unknown
  appId: unknown
  errorCode: unknown
  failureReason: unknown
  locationCity?: unknown
  locationState?: unknown
  locationCountry?: unknown
  autonomousSystem?: unknown
  isInteractive: boolean | null
}

const EXCERPT_LENGTH = 300

export function excerptOf(record: SourceRecord): string {
  return excerptOfText(JSON.stringify(record))
}

/** The start of a refused record's text, as the import's report keeps it. */
export function excerptOfText(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text
}

/**
 * `record` null: the caller keeps the original record itself (the pipeline stores a CSV record's
 * text, lib/events/record-blocks.ts), and `raw` is left empty rather than built for nothing.
 */
export function buildEvent(found: FoundFields, record: SourceRecord | null): NormaliseResult {
  if (found.time === undefined || found.time === null || (typeof found.time === 'string' && found.time.trim() === '')) {
    return { kind: 'rejected', reason: `missing timestamp (${found.timeField})` }
  }
  const createdAt = parseTimestamp(found.time)
  if (createdAt === null) {
    return { kind: 'rejected', reason: `unparseable date ${JSON.stringify(String(found.time).slice(0, 60))} in ${found.timeField}` }
  }
  const userPrincipalName = normaliseUpn(found.userPrincipalName)
  const ipAddress = normaliseIp(found.ipAddress)
  const clientAppUsed = verbatim(found.clientAppUsed)
  const userAgent = verbatim(found.userAgent)
  const appDisplayName = optional(found.appDisplayName) ?? ''
  const errorCode = normaliseErrorCode(found.errorCode)
  const sourceEventId =
    normaliseEventId(found.id) ??
    contentEventId([createdAt, userPrincipalName, ipAddress, clientAppUsed, userAgent, appDisplayName, errorCode, found.isInteractive])
  return {
    kind: 'event',
    event: {
      sourceEventId,
      createdAt,
      userPrincipalName,
      ipAddress,
      clientAppUsed,
      userAgent,
      appDisplayName,
      appId: optional(found.appId),
      errorCode,
      failureReason: optional(found.failureReason),
      locationCity: optional(found.locationCity),
      locationState: optional(found.locationState),
      locationCountry: optional(found.locationCountry),
      autonomousSystem: optionalInteger(found.autonomousSystem),
      isInteractive: found.isInteractive,
      raw: record === null ? '' : JSON.stringify(record),
    },
  }
}

export function objectAt(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

/** `signInEventTypes` (Graph beta): which kinds of sign-in a record is. */
export function eventTypes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : []
}

const NON_USER_EVENT_TYPES = new Set(['servicePrincipal', 'managedIdentity'])

/** True for service-principal and managed-identity sign-ins, which have no user to enumerate. */
export function isNonUserByEventTypes(types: string[]): boolean {
  return types.length > 0 && types.every((t) => NON_USER_EVENT_TYPES.has(t))
}

export function interactiveFromEventTypes(types: string[]): boolean | null {
  if (types.includes('interactiveUser')) return true
  if (types.includes('nonInteractiveUser')) return false
  return null
}

/** Diagnostic categories and Log Analytics tables of sign-ins that have no user. */
export const NON_USER_CATEGORIES = new Set([
  'serviceprincipalsigninlogs',
  'managedidentitysigninlogs',
  'microsoftserviceprincipalsigninlogs',
  'aadserviceprincipalsigninlogs',
  'aadmanagedidentitysigninlogs',
])

export function interactiveFromCategory(category: unknown): boolean | null {
  if (typeof category !== 'string') return null
  const name = category.trim().toLowerCase()
  if (name === 'signinlogs') return true
  if (name === 'noninteractiveusersigninlogs' || name === 'aadnoninteractiveusersigninlogs') return false
  return null
}
