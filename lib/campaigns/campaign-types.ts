import type { ConfirmedAccount } from '@/lib/remediation/confirmed-account'
import type { Verdict } from '@/lib/detection/verdicts'
import type { ReviewStatus, TriageStatus } from '@/lib/triage/triage-model'

/** Campaigns as the pages and the API show them (safe to import in browser code). */

export interface CampaignSummary {
  id: number
  datasetId: number
  datasetName: string
  verdict: Verdict
  sourceCount: number
  ipCount: number
  userAgentCount: number
  uniqueUsernames: number
  attempts: number
  confirmedAccounts: number
  notFoundUsernames: number
  firstSeen: string
  lastSeen: string
  reasons: string[]
  /** Median seconds between attempts, all sources together. */
  cadenceSeconds: number | null
  detectedAt: string
  /** One of its findings' probed passwords proved right: worked as Critical. */
  escalated: boolean
  /** Its triage, as a finding's (a campaign nobody touched is New, unassigned). */
  triageStatus: TriageStatus
  ownerEmail: string | null
  reviewStatus: ReviewStatus
}

export interface CampaignSource {
  ipAddress: string
  clientAppUsed: string
  userAgent: string
  uniqueUsernames: number
  attempts: number
  firstSeen: string
  lastSeen: string
  autonomousSystem: number | null
}

/** Attempts in one hour, per source IP (the busiest IPs by name, the rest together). */
export interface CampaignTimelinePoint {
  bucket: string
  attemptsBySeries: Record<string, number>
}

export interface CampaignTimeline {
  /** Series names, busiest first; the last one may be OTHER_IPS_SERIES. */
  series: string[]
  /** How many IPs OTHER_IPS_SERIES stands for (0: every IP has its own series). */
  otherIpCount: number
  points: CampaignTimelinePoint[]
}

/** An account the campaign learnt exists: the remediation list. */
export type CampaignConfirmedAccount = Omit<ConfirmedAccount, 'findingIds'>

export interface CampaignLinkedFinding {
  id: number
  kind: string
  bucket: string
  ipAddress: string
  uniqueUsernames: number
  verdict: Verdict
  triageStatus: TriageStatus
  ownerEmail: string | null
}

/** A campaign one source IP belongs to (named on the IP's page). */
export interface IpCampaign {
  id: number
  datasetId: number
  datasetName: string
  verdict: Verdict
  uniqueUsernames: number
  ipCount: number
  firstSeen: string
  lastSeen: string
  triageStatus: TriageStatus
}

export interface CampaignDetail extends CampaignSummary {
  /** The first sources (all of them when asked for): `sourceCount` says how many there are. */
  sources: CampaignSource[]
  timeline: CampaignTimeline
  /** The first findings of its sources (all of them when asked for). */
  findings: CampaignLinkedFinding[]
  /** How many findings its sources raised, and how many of them are not closed. */
  findingCount: number
  openFindingCount: number
}

/** How many sources and findings a campaign's page and API send unless all are asked for. */
export const CAMPAIGN_LIST_LIMIT = 100

/** How much of a campaign's lists to read: a number, or null for every row. */
export interface CampaignListLimits {
  sources?: number | null
  findings?: number | null
}

/** The timeline shows this many IPs by name; a legend of 40 addresses is unreadable. */
export const TIMELINE_NAMED_IPS = 10
export const OTHER_IPS_SERIES = 'other IPs'
