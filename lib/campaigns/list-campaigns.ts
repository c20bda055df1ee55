import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { toCampaignSummary, type CampaignRow } from './campaign-rows'
import type { CampaignSummary, IpCampaign } from './campaign-types'

/** The stored campaigns of these datasets (null: all), most usernames first. */
export async function listCampaigns(datasetIds: number[] | null): Promise<CampaignSummary[]> {
  const pool = await getPool()
  const { rows } = await pool.query<CampaignRow>(sqlFile('campaigns/sql/list-campaigns.sql'), [datasetIds])
  return rows.map(toCampaignSummary)
}

/** The campaigns one source IP is a member of (ip already normalised). */
export async function listIpCampaigns(ip: string, datasetIds: number[] | null): Promise<IpCampaign[]> {
  const pool = await getPool()
  const { rows } = await pool.query<{
    id: number
    dataset_id: number
    dataset_name: string
    verdict: IpCampaign['verdict']
    unique_usernames: number
    ip_count: number
    first_seen: Date
    last_seen: Date
    triage_status: IpCampaign['triageStatus']
  }>(sqlFile('campaigns/sql/ip-campaigns.sql'), [ip, datasetIds])
  return rows.map((r) => ({
    id: r.id,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    verdict: r.verdict,
    uniqueUsernames: r.unique_usernames,
    ipCount: r.ip_count,
    firstSeen: r.first_seen.toISOString(),
    lastSeen: r.last_seen.toISOString(),
    triageStatus: r.triage_status,
  }))
}
