import { getPrisma } from '@/lib/db/database'
import { EXISTING_ACCOUNT_CODES } from '@/lib/detection/extended-settings'
import { toCsv } from '@/lib/export/csv'
import { sqlFile } from '@/lib/sql-file'

/** An account the attacker now knows exists: reset its password, watch its sign-ins. */
export interface ConfirmedAccount {
  userPrincipalName: string
  errorCodes: string[]
  attempts: number
  firstProbed: string
  lastProbed: string
  sourceIps: string[]
  findingIds: number[]
}

interface Row {
  user_principal_name: string
  error_codes: string[]
  attempts: number
  first_probed: Date
  last_probed: Date
  source_ips: string[]
  finding_ids: number[]
}

export async function confirmedAccounts(scope: { datasetId?: number; findingId?: number; includeSuppressed?: boolean }): Promise<ConfirmedAccount[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    sqlFile('remediation/sql/confirmed-accounts.sql'),
    scope.datasetId ?? null,
    scope.findingId ?? null,
    EXISTING_ACCOUNT_CODES,
    scope.includeSuppressed ?? Boolean(scope.findingId),
  )
  return rows.map(toAccount)
}

/** Every account one source address confirmed exists, across the chosen datasets. */
export async function ipConfirmedAccounts(ip: string, datasetIds: number[] | null): Promise<ConfirmedAccount[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<Row[]>(sqlFile('remediation/sql/ip-confirmed-accounts.sql'), ip, datasetIds, EXISTING_ACCOUNT_CODES)
  return rows.map(toAccount)
}

function toAccount(r: Row): ConfirmedAccount {
  return {
    userPrincipalName: r.user_principal_name,
    errorCodes: r.error_codes,
    attempts: Number(r.attempts),
    firstProbed: r.first_probed.toISOString(),
    lastProbed: r.last_probed.toISOString(),
    sourceIps: r.source_ips,
    findingIds: r.finding_ids,
  }
}

export function confirmedAccountsCsv(accounts: ConfirmedAccount[]): string {
  return toCsv(
    ['username', 'error_codes', 'attempts', 'first_probed_utc', 'last_probed_utc', 'source_ips', 'finding_ids'],
    accounts.map((a) => [a.userPrincipalName, a.errorCodes.join(' '), a.attempts, a.firstProbed, a.lastProbed, a.sourceIps.join(' '), a.findingIds.join(' ')]),
  )
}
