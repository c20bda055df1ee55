import { getPool } from '@/lib/db/database'
import { confirmedAccountsCsv, toConfirmedAccount, type ConfirmedAccountRow } from '@/lib/remediation/confirmed-account'
import { sqlFile } from '@/lib/sql-file'
import type { CampaignConfirmedAccount } from './campaign-types'

/**
 * The accounts a campaign confirmed exist (it tried them and got an existing-account code): the
 * accounts to reset and watch. Only the codes the campaign counted, so the list's length is the
 * campaign's confirmed-accounts figure. Kept by the recompute (campaign-details.ts). `limit`
 * reads the first ones only (null: all): a month-long campaign confirms thousands, and its page
 * lists fifty.
 */
export async function campaignConfirmedAccounts(campaignId: number, limit: number | null = null): Promise<CampaignConfirmedAccount[]> {
  const pool = await getPool()
  const { rows } = await pool.query<ConfirmedAccountRow>(sqlFile('campaigns/sql/campaign-confirmed-accounts.sql'), [campaignId, limit])
  return rows.map(toConfirmedAccount)
}

/** The campaign's page lists its findings, so its list leaves out the finding ids. */
export function campaignConfirmedAccountsCsv(accounts: readonly CampaignConfirmedAccount[]): string {
  return confirmedAccountsCsv(accounts, { findingIds: false })
}
