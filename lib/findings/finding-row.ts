import { capAll, capText } from '@/lib/display/cap-text'
import type { Verdict } from '@/lib/detection/verdicts'
import { effectiveSeverity, type Classification, type ReviewStatus, type Severity, type TriageStatus } from '@/lib/triage/triage-model'

/** A stored finding as the dashboard and the JSON API show it (times as ISO 8601 strings). */
export interface FindingRow {
  id: number
  datasetId: number
  datasetName: string
  bucket: string
  ipAddress: string
  clientAppUsed: string
  userAgent: string
  uniqueUsernames: number
  attemptCount: number
  usernameSample: string[]
  appList: string[]
  firstSeen: string
  lastSeen: string
  durationMinutes: number
  enumerationRatePerMin: number
  verdict: Verdict
}

/** A finding in the findings table: with its triage state. */
export interface FindingListRow extends FindingRow {
  kind: 'hourly' | 'sliding' | 'low_and_slow'
  notFoundUsernames: number
  confirmedAccounts: number
  slidingPeakUsernames: number | null
  slidingPeakStart: string | null
  slidingVerdict: Verdict | null
  escalated: boolean
  suppressedByName: string | null
  campaignId: number | null
  status: TriageStatus
  ownerId: number | null
  ownerEmail: string | null
  severity: Severity
  classification: Classification | null
  /** Why it was closed (what a reviewing lead reads first). */
  closeReason: string | null
  reviewStatus: ReviewStatus
}

/** The columns the finding queries select (list-findings.sql, get-finding.sql). */
export interface FindingDbRow {
  id: number
  dataset_id: number
  dataset_name: string
  bucket: Date
  ip_address: string
  client_app_used: string
  user_agent: string
  unique_usernames: number
  attempt_count: number
  username_sample: string[] | null
  app_list: string[] | null
  first_seen: Date
  last_seen: Date
  duration_minutes: number
  enumeration_rate_per_min: number
  verdict: Verdict
}

export function toFindingRow(r: FindingDbRow): FindingRow {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    bucket: r.bucket.toISOString(),
    ipAddress: r.ip_address,
    clientAppUsed: capText(r.client_app_used),
    userAgent: capText(r.user_agent),
    uniqueUsernames: Number(r.unique_usernames),
    attemptCount: Number(r.attempt_count),
    usernameSample: capAll(r.username_sample ?? []),
    appList: capAll(r.app_list ?? []),
    firstSeen: r.first_seen.toISOString(),
    lastSeen: r.last_seen.toISOString(),
    durationMinutes: Number(r.duration_minutes),
    enumerationRatePerMin: Number(r.enumeration_rate_per_min),
    verdict: r.verdict,
  }
}

export interface FindingListDbRow extends FindingDbRow {
  kind: 'hourly' | 'sliding' | 'low_and_slow'
  not_found_usernames: number
  confirmed_accounts: number
  sliding_peak_usernames: number | null
  sliding_peak_start: Date | null
  sliding_verdict: Verdict | null
  escalated: boolean
  suppressed_by_name: string | null
  campaign_id: number | null
  triage_status: TriageStatus
  owner_id: number | null
  owner_email: string | null
  severity: Severity | null
  classification: Classification | null
  close_reason: string | null
  review_status: ReviewStatus
}

export function toFindingListRow(r: FindingListDbRow): FindingListRow {
  return {
    ...toFindingRow(r),
    kind: r.kind,
    notFoundUsernames: Number(r.not_found_usernames),
    confirmedAccounts: Number(r.confirmed_accounts),
    slidingPeakUsernames: r.sliding_peak_usernames,
    slidingPeakStart: r.sliding_peak_start?.toISOString() ?? null,
    slidingVerdict: r.sliding_verdict,
    escalated: r.escalated,
    suppressedByName: r.suppressed_by_name,
    campaignId: r.campaign_id,
    status: r.triage_status,
    ownerId: r.owner_id,
    ownerEmail: r.owner_email,
    severity: effectiveSeverity(r.severity, r.verdict, r.escalated),
    classification: r.classification,
    closeReason: r.close_reason ?? null,
    reviewStatus: r.review_status,
  }
}
