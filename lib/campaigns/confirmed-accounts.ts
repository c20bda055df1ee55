import { getPool } from '@/lib/db/database'
import { confirmedAccountsCsv, toConfirmedAccount, type ConfirmedAccountRow } from '@/lib/remediation/confirmed-account'
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
  const { rows } = await pool.query<ConfirmedAccountRow>(sqlFile('campaigns/sql/campaign-confirmed-accounts.sql'), [campaignId, codes])
  return rows.map(toConfirmedAccount)
}

/** The campaign's page lists its findings, so its list leaves out the finding ids. */
export function campaignConfirmedAccountsCsv(accounts: readonly CampaignConfirmedAccount[]): string {
  return confirmedAccountsCsv(accounts, { findingIds: false })
}
