import { toCsv } from '@/lib/export/csv'
import type { FindingDetail, FindingUsername } from './finding-details'

/** Every username behind a finding, as a spreadsheet (`/api/findings/{id}/usernames?format=csv`). */
export function findingUsernamesCsv(finding: Pick<FindingDetail, 'ipAddress' | 'bucket'>, usernames: readonly FindingUsername[]): string {
  return toCsv(
    ['username', 'attempts', 'error_codes', 'account_exists', 'first_attempt_utc', 'last_attempt_utc', 'source_ip', 'bucket_utc'],
    usernames.map((u) => [
      u.userPrincipalName,
      u.attempts,
      u.errorCodes.join(' '),
      u.accountExists === null ? 'unknown' : u.accountExists ? 'yes' : 'no',
      u.firstAttempt,
      u.lastAttempt,
      finding.ipAddress,
      finding.bucket,
    ]),
  )
}
