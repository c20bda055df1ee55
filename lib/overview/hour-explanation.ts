import { campaignErrorCodes } from '@/lib/campaigns/linking-rules'
import { getPool } from '@/lib/db/database'
import { DEFAULT_DETECTION_SETTINGS, type Verdict } from '@/lib/detection/enumeration'
import type { TriageStatus } from '@/lib/triage/triage-model'
import { sqlFile } from '@/lib/sql-file'

/**
 * What explains one hour of the overview chart: the findings of every kind whose window overlaps
 * it, the campaigns with attempts in it, and the addresses its names came from. An hour of many
 * names spread thin over many addresses has no per-IP finding; a campaign may explain it, and
 * when nothing does the page says so with the addresses in view.
 */
export interface HourExplanation {
  hour: string
  findings: HourFinding[]
  campaigns: HourCampaign[]
  /** Distinct source IPs with failures of the rule's codes in the hour. */
  sourceIps: number
  topSources: { ipAddress: string; uniqueUsernames: number; attempts: number }[]
}

export interface HourFinding {
  id: number
  kind: 'hourly' | 'sliding' | 'low_and_slow'
  bucket: string
  windowMinutes: number
  ipAddress: string
  uniqueUsernames: number
  attemptCount: number
  verdict: Verdict
  escalated: boolean
  suppressed: boolean
  campaignId: number | null
}

export interface HourCampaign {
  id: number
  verdict: Verdict
  uniqueUsernames: number
  ipCount: number
  firstSeen: string
  lastSeen: string
  reasons: string[]
  /** Of its addresses and names, those in this hour. */
  hourIps: number
  hourUsernames: number
  triageStatus: TriageStatus
}

const HOUR = 3_600_000

/** The start of the UTC hour holding `text` (an ISO time), or null when it is not a time. */
export function parseHour(text: string | undefined): Date | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}T\d{2}/.test(text)) return null
  const time = Date.parse(text)
  return Number.isNaN(time) ? null : new Date(Math.floor(time / HOUR) * HOUR)
}

export async function getHourExplanation(datasetIds: number[] | null, hour: Date, topSources = 10): Promise<HourExplanation> {
  const pool = await getPool()
  const codes = [...DEFAULT_DETECTION_SETTINGS.errorCodes]
  const [findings, campaigns, sources] = await Promise.all([
    pool.query<{
      id: number
      kind: HourFinding['kind']
      bucket: Date
      window_minutes: number
      ip_address: string
      unique_usernames: number
      attempt_count: number
      verdict: Verdict
      escalated: boolean
      suppressed: boolean
      campaign_id: number | null
    }>(sqlFile('overview/sql/hour-findings.sql'), [datasetIds, hour]),
    pool.query<{
      id: number
      verdict: Verdict
      unique_usernames: number
      ip_count: number
      first_seen: Date
      last_seen: Date
      reasons: string[] | null
      hour_ips: number
      hour_usernames: number
      triage_status: TriageStatus
    }>(sqlFile('overview/sql/hour-campaigns.sql'), [datasetIds, hour, campaignErrorCodes({ errorCodes: codes })]),
    pool.query<{ ip_address: string; unique_usernames: number; attempts: number; source_ips: number }>(sqlFile('overview/sql/hour-sources.sql'), [datasetIds, hour, codes, topSources]),
  ])
  return {
    hour: hour.toISOString(),
    findings: findings.rows.map((f) => ({
      id: f.id,
      kind: f.kind,
      bucket: f.bucket.toISOString(),
      windowMinutes: f.window_minutes,
      ipAddress: f.ip_address,
      uniqueUsernames: f.unique_usernames,
      attemptCount: f.attempt_count,
      verdict: f.verdict,
      escalated: f.escalated,
      suppressed: f.suppressed,
      campaignId: f.campaign_id,
    })),
    campaigns: campaigns.rows.map((c) => ({
      id: c.id,
      verdict: c.verdict,
      uniqueUsernames: c.unique_usernames,
      ipCount: c.ip_count,
      firstSeen: c.first_seen.toISOString(),
      lastSeen: c.last_seen.toISOString(),
      reasons: c.reasons ?? [],
      hourIps: c.hour_ips,
      hourUsernames: c.hour_usernames,
      triageStatus: c.triage_status,
    })),
    sourceIps: sources.rows[0]?.source_ips ?? 0,
    topSources: sources.rows.map((s) => ({ ipAddress: s.ip_address, uniqueUsernames: s.unique_usernames, attempts: s.attempts })),
  }
}
