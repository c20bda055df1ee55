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
 * transaction, and touches only the campaigns whose inputs (codes, member sources and their
 * attempts) changed. After an append (`appendedFrom`: the first hour it can have added rollup rows
 * to), a campaign that only gained is extended by the appended hours and the sources that joined
 * it; one that lost a source, changed codes or already held failures from those hours is rebuilt.
 * Returns how many it rebuilt or extended.
 */
export async function refreshCampaignDetails(
  db: ClientBase,
  datasetId: number,
  settings: ExtendedSettings,
  appendedFrom: Date | null = null,
): Promise<{ campaigns: number; extended: number }> {
  const codes = campaignErrorCodes(settings)
  const confirming = campaignConfirmingCodes(settings)
  const firstHour = appendedFrom && new Date(Math.floor(appendedFrom.getTime() / HOUR) * HOUR)
  await db.query(sqlFile('campaigns/sql/create-details-work.sql'))
  const stale = await db.query<{ extend: boolean }>(sqlFile('campaigns/sql/collect-stale-details.sql'), [datasetId, codes, confirming, firstHour])
  const extended = stale.rows.filter((r) => r.extend).length
  if (stale.rowCount) {
    if (extended > 0) await db.query(sqlFile('campaigns/sql/collect-extended-members.sql'))
    await db.query(sqlFile('campaigns/sql/analyze-details-work.sql'))
    await db.query(sqlFile('campaigns/sql/clear-stale-details.sql'))
    await db.query(sqlFile('campaigns/sql/fill-campaign-hours.sql'), [datasetId, codes])
    await db.query(sqlFile('campaigns/sql/fill-campaign-accounts.sql'), [datasetId, confirming])
    if (extended > 0) {
      await db.query(sqlFile('campaigns/sql/collect-extension-rows.sql'), [datasetId, codes, firstHour])
      await db.query(sqlFile('campaigns/sql/extend-campaign-hours.sql'))
      await db.query(sqlFile('campaigns/sql/extend-campaign-accounts.sql'), [confirming])
    }
    await db.query(sqlFile('campaigns/sql/save-details-state.sql'))
  }
  await db.query(sqlFile('campaigns/sql/drop-details-work.sql'))
  campaignDetailsRuns.rebuilt += (stale.rowCount ?? 0) - extended
  campaignDetailsRuns.extended += extended
  return { campaigns: stale.rowCount ?? 0, extended }
}

const HOUR = 3_600_000

/** Campaigns rebuilt and extended in this process, for the property test to see which path it checked. */
export const campaignDetailsRuns = { rebuilt: 0, extended: 0 }
