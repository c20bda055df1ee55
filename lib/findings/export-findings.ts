import { toCsv } from '@/lib/export/csv'
import { listFindings } from './list-findings'
import type { FindingsQuery } from './findings-query'
import type { FindingListRow } from './finding-row'

/** Exports hold at most this many findings; the filters narrow a bigger view. */
export const MAX_EXPORTED_FINDINGS = 100_000

/** Exactly the table's current view (filters and sort), every page of it. */
export async function exportFindings(query: FindingsQuery, currentUserId: number): Promise<{ rows: FindingListRow[]; truncated: boolean; total: number }> {
  const page = await listFindings({ ...query, page: 1, pageSize: MAX_EXPORTED_FINDINGS }, currentUserId)
  return { rows: page.rows, truncated: page.total > page.rows.length, total: page.total }
}

const COLUMNS: [string, (row: FindingListRow) => unknown][] = [
  ['finding_id', (r) => r.id],
  ['dataset', (r) => r.datasetName],
  ['bucket_utc', (r) => r.bucket],
  ['ip_address', (r) => r.ipAddress],
  ['client_app_used', (r) => r.clientAppUsed],
  ['user_agent', (r) => r.userAgent],
  ['unique_usernames', (r) => r.uniqueUsernames],
  ['attempt_count', (r) => r.attemptCount],
  ['enumeration_rate_per_min', (r) => r.enumerationRatePerMin],
  ['duration_minutes', (r) => r.durationMinutes],
  ['verdict', (r) => r.verdict],
  ['first_seen_utc', (r) => r.firstSeen],
  ['last_seen_utc', (r) => r.lastSeen],
  ['username_sample', (r) => r.usernameSample.join(' ')],
  ['app_list', (r) => r.appList.join('; ')],
  ['status', (r) => r.status],
  ['owner', (r) => r.ownerEmail ?? ''],
  ['severity', (r) => r.severity],
  ['classification', (r) => r.classification ?? ''],
  ['review', (r) => r.reviewStatus],
]

export function findingsCsv(rows: FindingListRow[]): string {
  return toCsv(
    COLUMNS.map(([name]) => name),
    rows.map((row) => COLUMNS.map(([, value]) => value(row))),
  )
}
