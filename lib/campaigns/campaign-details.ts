import type { ClientBase } from 'pg'
import type { ExtendedSettings } from '@/lib/detection/extended-settings'
import { sqlFile } from '@/lib/sql-file'
import { campaignErrorCodes, LINKING } from './linking-rules'

/** The existing-account codes a campaign counts for these settings: its confirmed accounts. */
export function campaignConfirmingCodes(settings: Pick<ExtendedSettings, 'errorCodes'>): string[] {
  const counted = new Set(campaignErrorCodes(settings))
  return LINKING.existingAccountCodes.filter((code) => counted.has(code))
}

/**
 * Keeps what a campaign's page shows beyond its totals — the hourly timeline per source IP
 * (campaign_hours) and the accounts its sources confirmed exist (campaign_accounts) — so the page
 * reads its own rows instead of every rollup row of the campaign's sources (a month of a rotating
 * spray is hundreds of thousands of them). Runs after the campaigns are refreshed, in the same
 * transaction, and rebuilds only the campaigns whose inputs (codes, member sources and their
 * attempts) changed: after an append, those the appended events reached. Returns how many it
 * rebuilt.
 */
export async function refreshCampaignDetails(db: ClientBase, datasetId: number, settings: ExtendedSettings): Promise<{ campaigns: number }> {
  const codes = campaignErrorCodes(settings)
  const confirming = campaignConfirmingCodes(settings)
  await db.query(sqlFile('campaigns/sql/create-details-work.sql'))
  const stale = await db.query(sqlFile('campaigns/sql/collect-stale-details.sql'), [datasetId, codes, confirming])
  if (stale.rowCount) {
    await db.query(sqlFile('campaigns/sql/analyze-details-work.sql'))
    await db.query(sqlFile('campaigns/sql/clear-stale-details.sql'))
    await db.query(sqlFile('campaigns/sql/fill-campaign-hours.sql'), [datasetId, codes])
    await db.query(sqlFile('campaigns/sql/fill-campaign-accounts.sql'), [datasetId, confirming])
    await db.query(sqlFile('campaigns/sql/save-details-state.sql'))
  }
  await db.query(sqlFile('campaigns/sql/drop-details-work.sql'))
  return { campaigns: stale.rowCount ?? 0 }
}
