import type { Verdict } from '@/lib/detection/verdicts'
import type { ReviewStatus, TriageStatus } from '@/lib/triage/triage-model'
import type { CampaignSummary } from './campaign-types'

/** A campaigns row as list-campaigns.sql and get-campaign.sql return it. */
export interface CampaignRow {
  id: number
  dataset_id: number
  dataset_name: string
  verdict: Verdict
  source_count: number
  ip_count: number
  user_agent_count: number
  unique_usernames: number
  attempts: number
  confirmed_accounts: number
  not_found_usernames: number
  first_seen: Date
  last_seen: Date
  reasons: string[] | null
  cadence_seconds: number | null
  detected_at: Date
  escalated: boolean
  triage_status: TriageStatus
  owner_email: string | null
  review_status: ReviewStatus
}

export function toCampaignSummary(row: CampaignRow): CampaignSummary {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    verdict: row.verdict,
    sourceCount: row.source_count,
    ipCount: row.ip_count,
    userAgentCount: row.user_agent_count,
    uniqueUsernames: row.unique_usernames,
    attempts: row.attempts,
    confirmedAccounts: row.confirmed_accounts,
    notFoundUsernames: row.not_found_usernames,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    reasons: row.reasons ?? [],
    cadenceSeconds: row.cadence_seconds,
    detectedAt: row.detected_at.toISOString(),
    escalated: row.escalated,
    triageStatus: row.triage_status,
    ownerEmail: row.owner_email,
    reviewStatus: row.review_status,
  }
}
