import { getPrisma } from '@/lib/db/database'
import { EXISTING_ACCOUNT_CODES } from '@/lib/detection/extended-settings'
import { sqlFile } from '@/lib/sql-file'
import { toConfirmedAccount, type ConfirmedAccount, type ConfirmedAccountRow } from './confirmed-account'

export { confirmedAccountsCsv, type ConfirmedAccount } from './confirmed-account'

type Row = ConfirmedAccountRow & { finding_ids: number[] }

export async function confirmedAccounts(scope: { datasetId?: number; findingId?: number; includeSuppressed?: boolean }): Promise<ConfirmedAccount[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    sqlFile('remediation/sql/confirmed-accounts.sql'),
    scope.datasetId ?? null,
    scope.findingId ?? null,
    EXISTING_ACCOUNT_CODES,
    scope.includeSuppressed ?? Boolean(scope.findingId),
  )
  return rows.map(toConfirmedAccount)
}

/** Every account one source address confirmed exists, across the chosen datasets. */
export async function ipConfirmedAccounts(ip: string, datasetIds: number[] | null): Promise<ConfirmedAccount[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<Row[]>(sqlFile('remediation/sql/ip-confirmed-accounts.sql'), ip, datasetIds, EXISTING_ACCOUNT_CODES)
  return rows.map(toConfirmedAccount)
}
