import { dynamicObject, optionalBoolean } from '../normalise'
import type { FormatContext, RecordFormat, SourceRecord } from '../types'
import { NON_USER_CATEGORIES, buildEvent, interactiveFromCategory } from './build-event'

/**
 * Log Analytics / Sentinel `SigninLogs` and `AADNonInteractiveUserSignInLogs` rows: the portal's
 * "Export to CSV" (`... [UTC]` columns with locale dates, JSON in cells, sometimes split into
 * `_dynamic` / `_string` pairs) or JSON rows. Dynamic columns may be objects or JSON text.
 */
function first(record: SourceRecord, names: readonly string[]): { name: string; value: unknown } | null {
  for (const name of names) {
    const value = record[name]
    if (value !== undefined && value !== null && value !== '') return { name, value }
  }
  return null
}

function dynamic(record: SourceRecord, name: string): Record<string, unknown> | null {
  return dynamicObject(record[name]) ?? dynamicObject(record[`${name}_dynamic`]) ?? dynamicObject(record[`${name}_string`])
}

const TIME_COLUMNS = ['CreatedDateTime [UTC]', 'CreatedDateTime', 'TimeGenerated [UTC]', 'TimeGenerated']

function normaliseLogAnalyticsRow(context: FormatContext) {
  return (record: SourceRecord) => {
    const table = first(record, ['Type', 'Category'])?.value
    if (typeof table === 'string' && NON_USER_CATEGORIES.has(table.toLowerCase())) return { kind: 'skipped' as const }
    // CreatedDateTime is the sign-in time; TimeGenerated is ingestion time, only a fallback.
    const time = first(record, TIME_COLUMNS)
    const status = dynamic(record, 'Status')
    const location = dynamic(record, 'LocationDetails')
    return buildEvent(
      {
        id: record.Id,
        time: time?.value,
        timeField: time?.name ?? 'CreatedDateTime',
        userPrincipalName: record.UserPrincipalName,
        ipAddress: record.IPAddress,
        clientAppUsed: record.ClientAppUsed,
        userAgent: record.UserAgent,
        appDisplayName: record.AppDisplayName,
        appId: record.AppId,
        errorCode: first(record, ['ResultType'])?.value ?? status?.errorCode,
        failureReason: first(record, ['ResultDescription'])?.value ?? status?.failureReason,
        locationCity: location?.city,
        locationState: location?.state,
        locationCountry: location?.countryOrRegion ?? record.Location,
        autonomousSystem: record.AutonomousSystemNumber,
        isInteractive:
          interactiveFromCategory(table) ??
          interactiveFromCategory(record.Category) ??
          optionalBoolean(record.IsInteractive) ??
          context.interactiveHint,
      },
      record,
    )
  }
}

export const logAnalyticsCsvFormat: RecordFormat = {
  id: 'log-analytics-csv',
  label: 'Log Analytics / Sentinel CSV export',
  normaliser: normaliseLogAnalyticsRow,
}

export const logAnalyticsJsonFormat: RecordFormat = {
  id: 'log-analytics-json',
  label: 'Log Analytics / Sentinel JSON rows',
  normaliser: normaliseLogAnalyticsRow,
}

export function looksLikeLogAnalyticsRecord(record: SourceRecord): boolean {
  return 'UserPrincipalName' in record && TIME_COLUMNS.some((c) => c in record)
}
