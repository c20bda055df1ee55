import { toCsv } from '@/lib/export/csv'

/** An account the attacker now knows exists: reset its password, watch its sign-ins. */
export interface ConfirmedAccount {
  userPrincipalName: string
  errorCodes: string[]
  attempts: number
  firstProbed: string
  lastProbed: string
  sourceIps: string[]
  /** The findings that probed it; a campaign's list leaves them out (its page lists its findings). */
  findingIds?: number[]
}

export interface ConfirmedAccountRow {
  user_principal_name: string
  error_codes: string[]
  attempts: number
  first_probed: Date
  last_probed: Date
  source_ips: string[]
  finding_ids?: number[]
}

export function toConfirmedAccount(r: ConfirmedAccountRow): ConfirmedAccount {
  return {
    userPrincipalName: r.user_principal_name,
    errorCodes: r.error_codes,
    attempts: Number(r.attempts),
    firstProbed: r.first_probed.toISOString(),
    lastProbed: r.last_probed.toISOString(),
    sourceIps: r.source_ips,
    ...(r.finding_ids ? { findingIds: r.finding_ids } : {}),
  }
}

/**
 * The remediation list as a spreadsheet. Usernames are attacker-chosen text: toCsv neutralises
 * the ones a spreadsheet would run.
 */
export function confirmedAccountsCsv(accounts: readonly ConfirmedAccount[], options: { findingIds: boolean } = { findingIds: true }): string {
  const header = ['username', 'error_codes', 'attempts', 'first_probed_utc', 'last_probed_utc', 'source_ips']
  return toCsv(
    options.findingIds ? [...header, 'finding_ids'] : header,
    accounts.map((a) => {
      const row: (string | number)[] = [a.userPrincipalName, a.errorCodes.join(' '), a.attempts, a.firstProbed, a.lastProbed, a.sourceIps.join(' ')]
      return options.findingIds ? [...row, (a.findingIds ?? []).join(' ')] : row
    }),
  )
}
