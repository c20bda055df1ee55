import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { toCampaignSummary, type CampaignRow } from './campaign-rows'
import type { CampaignSummary } from './campaign-types'

/** The stored campaigns of these datasets (null: all), most usernames first. */
export async function listCampaigns(datasetIds: number[] | null): Promise<CampaignSummary[]> {
  const pool = await getPool()
  const { rows } = await pool.query<CampaignRow>(sqlFile('campaigns/sql/list-campaigns.sql'), [datasetIds])
  return rows.map(toCampaignSummary)
}
