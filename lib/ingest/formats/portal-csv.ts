import type { FormatContext, RecordFormat, SourceRecord } from '../types'
import { buildEvent } from './build-event'
import { canonicalColumn, columnIndex, hasColumns } from './columns'

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
    const key = (name: string) => index.get(canonicalColumn(name)) ?? '\u0000missing'
    const k = {
      date: key('Date (UTC)'),
      id: key('Request ID'),
      username: key('Username'),
      ip: key('IP address'),
      clientApp: key('Client app'),
      userAgent: key('User agent'),
      application: key('Application'),
      applicationId: key('Application ID'),
      errorCode: key('Sign-in error code'),
      failureReason: key('Failure reason'),
      location: key('Location'),
      asn: key('Autonomous system number'),
    }
    return (record: SourceRecord) => {
      // "City, State, CC"; any part may be empty.
      const location = typeof record[k.location] === 'string' ? (record[k.location] as string).split(',').map((p) => p.trim()) : []
      const [city, state, country] = location.length >= 3 ? [location[0], location.slice(1, -1).join(', '), location.at(-1)] : [undefined, undefined, location.at(-1)]
      return buildEvent(
        {
          id: record[k.id],
          time: record[k.date],
          timeField: '"Date (UTC)"',
          userPrincipalName: record[k.username],
          ipAddress: record[k.ip],
          clientAppUsed: record[k.clientApp],
          userAgent: record[k.userAgent],
          appDisplayName: record[k.application],
          appId: record[k.applicationId],
          errorCode: record[k.errorCode],
          failureReason: record[k.failureReason],
          locationCity: city,
          locationState: state,
          locationCountry: country,
          autonomousSystem: record[k.asn],
          isInteractive: context.interactiveHint,
        },
        record,
      )
    }
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
