import type { NormalisedEvent } from './types'

/**
 * The COPY text (PostgreSQL text format) the pipeline sends. Events go straight into
 * sign_in_events; what the hourly rollup needs goes, much narrower, into ingest_rollup_staging
 * (sql/create-staging.sql) to be aggregated by sql/merge-rollup.sql.
 */

/** The columns of copyLine(), in order: an event as the file gave it, normalised. */
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

/** sign_in_events columns of a line: the import's constants (eventLinePrefix), then copyLine(). */
export const EVENT_COLUMNS = ['dataset_id', 'import_job_id', 'source_format', ...STAGING_COLUMNS] as const

/** ingest_rollup_staging columns, as rollupLine() writes them. */
export const ROLLUP_STAGING_COLUMNS = [
  'created_at',
  'ip_address',
  'client_app_used',
  'user_agent',
  'user_principal_name',
  'error_code',
  'app_display_name',
] as const

const NEEDS_ESCAPE = /[\\\t\n\r]/

// COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
function field(value: string | null): string {
  if (value === null) return '\\N'
  if (!NEEDS_ESCAPE.test(value)) return value
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}

/** One event as a line of PostgreSQL COPY text format, in STAGING_COLUMNS order. */
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

/** What every line of one import starts with (EVENT_COLUMNS before STAGING_COLUMNS). */
export function eventLinePrefix(datasetId: number, importJobId: number, sourceFormat: string): string {
  return `${datasetId}\t${importJobId}\t${field(sourceFormat)}\t`
}

/**
 * The event's share of the hourly rollup as a line of ingest_rollup_staging, or null when the
 * detection cannot count it (no IP, no username or no error code; merge-rollup.sql says the same).
 */
export function rollupLine(event: NormalisedEvent): string | null {
  if (event.ipAddress === null || event.userPrincipalName === '' || event.errorCode === null) return null
  return (
    new Date(event.createdAt).toISOString() + '\t' +
    field(event.ipAddress) + '\t' +
    field(event.clientAppUsed) + '\t' +
    field(event.userAgent) + '\t' +
    field(event.userPrincipalName) + '\t' +
    field(event.errorCode) + '\t' +
    field(event.appDisplayName) + '\n'
  )
}
