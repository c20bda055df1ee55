import { isoUtc, parseApiError, type ApiError } from './support'

/**
 * The KQL and the response handling of the Log Analytics fetcher (docs/reference/signin-formats.md
 * §3.5), apart from the HTTP.
 *
 * Which time column bounds a slice: TimeGenerated, not CreatedDateTime. Every row has exactly one
 * TimeGenerated, so consecutive slices [from, to) partition the rows: none falls between two
 * slices and none is in two. CreatedDateTime (the sign-in time, which the normaliser stores) is
 * a little earlier — seconds to minutes — so a sign-in at 10:59:58 logged at 11:00:03 arrives
 * with the 11:00 slice, still stored under 10:59:58. Filtering on CreatedDateTime instead would
 * lose such rows whenever the earlier slice had been fetched before they were written, and the
 * API's `timespan` (which always applies to TimeGenerated) would have to be widened to find them.
 * The slice's timespan and the KQL filter therefore name the same interval; the filter makes the
 * upper bound exclusive whatever the timespan does at its edges.
 * What neither column can catch is a row that becomes queryable after its slice was fetched;
 * the runner's ingestion lag (INGESTION_LAG_MINUTES) is what waits for those.
 */

/**
 * The columns the Log Analytics normaliser reads, plus a few for the analyst's raw view.
 * `project-keep` with wildcards, because the two tables disagree on some types: Status and
 * LocationDetails are dynamic in SigninLogs and JSON text in AADNonInteractiveUserSignInLogs, and
 * a union of both turns such a column into `Status_dynamic` + `Status_string` (which the
 * normaliser reads); a wildcard keeps whichever exists, where a plain name that is missing (only
 * one of the tables present, an older schema without AuthenticationProtocol) fails the query.
 * Keeping only these columns also keeps rows small under the API's 64 MB result limit.
 */
const EXACT_COLUMNS = [
  'Id',
  'CreatedDateTime',
  'TimeGenerated',
  'Type',
  'Category',
  'UserPrincipalName',
  'UserId',
  'IPAddress',
  'ClientAppUsed',
  'UserAgent',
  'AppDisplayName',
  'AppId',
  'ResultType',
  'ResultDescription',
  'Location',
  'CorrelationId',
]
const WILDCARD_COLUMNS = ['Status*', 'LocationDetails*', 'AutonomousSystemNumber*', 'IsInteractive*', 'AuthenticationProtocol*']

export const SIGN_IN_TABLES = ['SigninLogs', 'AADNonInteractiveUserSignInLogs'] as const

/** KQL's datetime literal; ISO 8601 with milliseconds, since split windows need not fall on seconds. */
function kqlDatetime(ms: number): string {
  return `datetime(${new Date(ms).toISOString()})`
}

export function signInQuery(from: number, to: number): string {
  return [
    // isfuzzy: a workspace that receives only one of the two categories still answers.
    `union isfuzzy=true ${SIGN_IN_TABLES.join(', ')}`,
    `| where TimeGenerated >= ${kqlDatetime(from)} and TimeGenerated < ${kqlDatetime(to)}`,
    `| project-keep ${[...EXACT_COLUMNS, ...WILDCARD_COLUMNS].join(', ')}`,
  ].join('\n')
}

/** ISO 8601 "start/end", the same interval as the query's filter. */
export function timespan(from: number, to: number): string {
  return `${isoUtc(from)}/${isoUtc(to)}`
}

interface Column {
  name: string
  type: string
}

export interface QueryResponse {
  tables?: { name?: string; columns?: Column[]; rows?: unknown[][] }[]
  error?: unknown
}

/**
 * Rows as objects keyed by column name. Dynamic values arrive as JSON text; they are parsed back
 * so the stored raw record holds objects, and text that is not JSON stays as it was.
 */
export function zipRows(response: QueryResponse): Record<string, unknown>[] {
  const table = response.tables?.find((t) => t.name === 'PrimaryResult') ?? response.tables?.[0]
  if (!table?.columns || !table.rows) return []
  const columns = table.columns
  return table.rows.map((row) => {
    const record: Record<string, unknown> = {}
    columns.forEach((column, i) => {
      let value = row[i]
      if (column.type === 'dynamic' && typeof value === 'string') {
        try {
          value = JSON.parse(value)
        } catch {
          // not JSON: keep the text
        }
      }
      record[column.name] = value
    })
    return record
  })
}

/** A PartialError of the response: the rows may be incomplete. */
export function partialError(response: QueryResponse): ApiError | null {
  if (!response.error) return null
  return parseApiError(JSON.stringify({ error: response.error })) ?? { code: 'PartialError', messages: [], innerCodes: [] }
}

/**
 * Whether the partial result was cut by the result-size limits (≈500,000 rows or ≈64 MB,
 * E_QUERY_RESULT_SET_TOO_LARGE): a smaller window fixes that; other partial failures it does not.
 */
export function isTruncation(error: ApiError): boolean {
  return /E_QUERY_RESULT_SET_TOO_LARGE|exceeded|limit|truncat|too large/i.test([...error.innerCodes, ...error.messages].join(' '))
}
