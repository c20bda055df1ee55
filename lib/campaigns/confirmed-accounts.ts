import { getPool } from '@/lib/db/database'
import { toCsv } from '@/lib/export/csv'
import { sqlFile } from '@/lib/sql-file'
import { datasetCampaignCodes } from './campaign-codes'
import type { CampaignConfirmedAccount } from './campaign-types'
import { LINKING } from './linking-rules'

/**
 * The accounts a campaign confirmed exist (it tried them and got an existing-account code): the
 * accounts to reset and watch. Only the codes the campaign counted, so the list's length is the
 * campaign's confirmed-accounts figure.
 */
export async function campaignConfirmedAccounts(campaignId: number, datasetId: number): Promise<CampaignConfirmedAccount[]> {
  const pool = await getPool()
  const counted = new Set(await datasetCampaignCodes(pool, datasetId))
  const codes = LINKING.existingAccountCodes.filter((code) => counted.has(code))
  const { rows } = await pool.query<{
    user_principal_name: string
    error_codes: string[]
    attempts: number
    first_probed: Date
    last_probed: Date
    source_ips: string[]
  }>(sqlFile('campaigns/sql/campaign-confirmed-accounts.sql'), [campaignId, codes])
  return rows.map((r) => ({
    userPrincipalName: r.user_principal_name,
    errorCodes: r.error_codes,
    attempts: r.attempts,
    firstProbed: r.first_probed.toISOString(),
    lastProbed: r.last_probed.toISOString(),
    sourceIps: r.source_ips,
  }))
}

/** Usernames are attacker-chosen text: toCsv neutralises the ones a spreadsheet would run. */
export function confirmedAccountsCsv(accounts: readonly CampaignConfirmedAccount[]): string {
  return toCsv(
    ['username', 'error_codes', 'attempts', 'first_probed_utc', 'last_probed_utc', 'source_ips'],
    accounts.map((a) => [a.userPrincipalName, a.errorCodes.join(' '), a.attempts, a.firstProbed, a.lastProbed, a.sourceIps.join(' ')]),
  )
}
