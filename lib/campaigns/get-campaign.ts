import { capText } from '@/lib/display/cap-text'
import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { toCampaignSummary, type CampaignRow } from './campaign-rows'
import { campaignTimeline } from './campaign-timeline'
import type { CampaignDetail, CampaignLinkedFinding, CampaignListLimits, CampaignSource, CampaignSummary } from './campaign-types'

export async function getCampaignSummary(id: number): Promise<CampaignSummary | null> {
  const pool = await getPool()
  const { rows } = await pool.query<CampaignRow>(sqlFile('campaigns/sql/get-campaign.sql'), [id])
  return rows[0] ? toCampaignSummary(rows[0]) : null
}

/**
 * One campaign with its sources, hourly timeline and the findings of its sources; null when
 * absent. `limits` caps the two lists (default: every row); the counts are always whole.
 */
export async function getCampaign(id: number, limits: CampaignListLimits = {}): Promise<CampaignDetail | null> {
  const summary = await getCampaignSummary(id)
  if (!summary) return null
  const pool = await getPool()
  const [sources, timeline, findings, counts] = await Promise.all([
    pool.query<{
      ip_address: string
      client_app_used: string
      user_agent: string
      unique_usernames: number
      attempts: number
      first_seen: Date
      last_seen: Date
      autonomous_system: number | null
    }>(sqlFile('campaigns/sql/campaign-sources.sql'), [id, limits.sources ?? null]),
    campaignTimeline(pool, id),
    pool.query<{
      id: number
      kind: string
      bucket: Date
      ip_address: string
      unique_usernames: number
      verdict: CampaignLinkedFinding['verdict']
      triage_status: CampaignLinkedFinding['triageStatus']
      owner_email: string | null
    }>(
      sqlFile('campaigns/sql/campaign-findings.sql'),
      [id, limits.findings ?? null],
    ),
    pool.query<{ findings: number; open_findings: number }>(sqlFile('campaigns/sql/campaign-finding-counts.sql'), [id]),
  ])
  return {
    ...summary,
    sources: sources.rows.map(
      (r): CampaignSource => ({
        ipAddress: r.ip_address,
        clientAppUsed: capText(r.client_app_used),
        userAgent: capText(r.user_agent),
        uniqueUsernames: r.unique_usernames,
        attempts: r.attempts,
        firstSeen: r.first_seen.toISOString(),
        lastSeen: r.last_seen.toISOString(),
        autonomousSystem: r.autonomous_system,
      }),
    ),
    timeline,
    findings: findings.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      bucket: r.bucket.toISOString(),
      ipAddress: r.ip_address,
      uniqueUsernames: r.unique_usernames,
      verdict: r.verdict,
      triageStatus: r.triage_status,
      ownerEmail: r.owner_email,
    })),
    findingCount: counts.rows[0].findings,
    openFindingCount: counts.rows[0].open_findings,
  }
}
