import type { FormatContext, RecordFormat, SourceRecord } from '../types'
import { buildEvent } from './build-event'
import { canonicalColumn, columnIndex, hasColumns } from './columns'

const COLUMNS = {
  date: 'Date (UTC)',
  id: 'Request ID',
  username: 'Username',
  ip: 'IP address',
  clientApp: 'Client app',
  userAgent: 'User agent',
  application: 'Application',
  applicationId: 'Application ID',
  errorCode: 'Sign-in error code',
  failureReason: 'Failure reason',
  location: 'Location',
  asn: 'Autonomous system number',
} as const

type Column = keyof typeof COLUMNS

/** The event from the portal's columns, however a record gives them (`get`). */
function portalEvent(get: (column: Column) => unknown, context: FormatContext, record: SourceRecord | null) {
  // "City, State, CC"; any part may be empty.
  const text = get('location')
  const location = typeof text === 'string' ? text.split(',').map((p) => p.trim()) : []
  const [city, state, country] = location.length >= 3 ? [location[0], location.slice(1, -1).join(', '), location.at(-1)] : [undefined, undefined, location.at(-1)]
  return buildEvent(
    {
      id: get('id'),
      time: get('date'),
      timeField: '"Date (UTC)"',
      userPrincipalName: get('username'),
      ipAddress: get('ip'),
      clientAppUsed: get('clientApp'),
      userAgent: get('userAgent'),
      appDisplayName: get('application'),
      appId: get('applicationId'),
      errorCode: get('errorCode'),
      failureReason: get('failureReason'),
      locationCity: city,
      locationState: state,
      locationCountry: country,
      autonomousSystem: get('asn'),
      isInteractive: context.interactiveHint,
    },
    record,
  )
}

/**
 * The Entra admin center's CSV download of interactive or non-interactive sign-ins (55+ columns).
 * Both files have the same header, so whether the sign-ins were interactive comes only from the
 * file name (a hint, never used to recognise the format).
 */
export const portalCsvFormat: RecordFormat = {
  id: 'portal-csv',
  label: 'Entra portal CSV download',
  normaliser: (context: FormatContext) => {
    const index = columnIndex(context.headers ?? [])
    const keys = Object.fromEntries(Object.entries(COLUMNS).map(([c, name]) => [c, index.get(canonicalColumn(name)) ?? '\u0000missing'])) as Record<Column, string>
    return (record: SourceRecord) => portalEvent((column) => record[keys[column]], context, record)
  },
  fieldNormaliser: (context: FormatContext) => {
    const headers = context.headers ?? []
    const index = columnIndex(headers)
    // -1 (missing column) reads as undefined, as a missing key does.
    const at = Object.fromEntries(Object.entries(COLUMNS).map(([c, name]) => [c, headers.indexOf(index.get(canonicalColumn(name)) ?? '\u0000missing')])) as Record<Column, number>
    return (fields: readonly string[]) => portalEvent((column) => (at[column] === -1 ? undefined : fields[at[column]]), context, null)
  },
}

export type CsvKind = 'portal-user' | 'portal-non-user' | 'log-analytics-user' | 'log-analytics-non-user' | 'unknown'

/** Which export a CSV header belongs to (docs/reference/signin-formats.md §8.2). */
export function classifyCsvHeader(headers: readonly string[]): CsvKind {
  const index = columnIndex(headers)
  if (hasColumns(index, 'Date (UTC)')) {
    if (hasColumns(index, 'Username')) return 'portal-user'
    return 'portal-non-user'
  }
  const laTime = ['CreatedDateTime [UTC]', 'TimeGenerated [UTC]', 'CreatedDateTime', 'TimeGenerated'].some((c) => hasColumns(index, c))
  if (laTime && hasColumns(index, 'UserPrincipalName')) return 'log-analytics-user'
  if (laTime && (hasColumns(index, 'ServicePrincipalId') || hasColumns(index, 'ServicePrincipalName'))) return 'log-analytics-non-user'
  return 'unknown'
}
