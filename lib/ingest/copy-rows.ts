import type { NormalisedEvent } from './types'

/** Column order of ingest_staging (sql/create-staging.sql), as COPY receives them. */
export const STAGING_COLUMNS = [
  'source_event_id',
  'created_at',
  'user_principal_name',
  'ip_address',
  'client_app_used',
  'user_agent',
  'app_display_name',
  'app_id',
  'error_code',
  'failure_reason',
  'location_city',
  'location_state',
  'location_country',
  'autonomous_system',
  'is_interactive',
  'raw',
] as const

const NEEDS_ESCAPE = /[\\\t\n\r]/

// COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
function field(value: string | null): string {
  if (value === null) return '\\N'
  if (!NEEDS_ESCAPE.test(value)) return value
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}

/** One event as a line of PostgreSQL COPY text format. */
export function copyLine(event: NormalisedEvent): string {
  return (
    field(event.sourceEventId) + '\t' +
    new Date(event.createdAt).toISOString() + '\t' +
    field(event.userPrincipalName) + '\t' +
    field(event.ipAddress) + '\t' +
    field(event.clientAppUsed) + '\t' +
    field(event.userAgent) + '\t' +
    field(event.appDisplayName) + '\t' +
    field(event.appId) + '\t' +
    field(event.errorCode) + '\t' +
    field(event.failureReason) + '\t' +
    field(event.locationCity) + '\t' +
    field(event.locationState) + '\t' +
    field(event.locationCountry) + '\t' +
    (event.autonomousSystem === null ? '\\N' : String(event.autonomousSystem)) + '\t' +
    (event.isInteractive === null ? '\\N' : event.isInteractive ? 't' : 'f') + '\t' +
    field(event.raw) + '\n'
  )
}
