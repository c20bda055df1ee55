import type { Verdict } from '@/lib/detection/verdicts'

/**
 * The triage vocabulary, as SOC teams use it in Sentinel, Elastic and Splunk ES (browser-safe).
 */
/** The most findings one bulk change takes ("select all N matching this view" stops there). */
export const MAX_BULK_FINDINGS = 5000

export const TRIAGE_STATUSES = ['new', 'active', 'closed'] as const
export type TriageStatus = (typeof TRIAGE_STATUSES)[number]

export const CLASSIFICATIONS = ['true_positive', 'benign_positive', 'false_positive', 'undetermined'] as const
export type Classification = (typeof CLASSIFICATIONS)[number]

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const
export type Severity = (typeof SEVERITIES)[number]

export const REVIEW_STATUSES = ['not_required', 'pending', 'approved', 'reopened'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

export const STATUS_LABELS: Record<TriageStatus, string> = { new: 'New', active: 'Active', closed: 'Closed' }
export const CLASSIFICATION_LABELS: Record<Classification, string> = {
  true_positive: 'True positive',
  benign_positive: 'Benign positive',
  false_positive: 'False positive',
  undetermined: 'Undetermined',
}
export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' }
export const REVIEW_LABELS: Record<ReviewStatus, string> = {
  not_required: '—',
  pending: 'Awaiting review',
  approved: 'Approved',
  reopened: 'Reopened by lead',
}

/** A finding's severity follows its tier (critical once the password proved right) until someone adjusts it. */
export function severityFromVerdict(verdict: Verdict, escalated = false): Severity {
  if (escalated) return 'critical'
  return verdict === 'High Confidence Enumeration' ? 'high' : verdict === 'Moderate Enumeration' ? 'medium' : 'low'
}

/**
 * The severity a finding is worked at. An escalation outranks an adjustment: an analyst who
 * lowered a finding to Low as a scanner's noise must not keep it Low once a probed account's
 * password proved right from the same source.
 */
export function effectiveSeverity(adjusted: Severity | null, verdict: Verdict, escalated: boolean): Severity {
  return escalated ? 'critical' : (adjusted ?? severityFromVerdict(verdict))
}

export type SeveritySource = 'tier' | 'adjusted' | 'escalation'

export function severitySource(adjusted: Severity | null, escalated: boolean): SeveritySource {
  return escalated ? 'escalation' : adjusted ? 'adjusted' : 'tier'
}

/** The triage state of a finding; a finding nobody touched yet is New, unassigned. */
export interface TriageState {
  recordId: number | null
  status: TriageStatus
  ownerId: number | null
  ownerEmail: string | null
  severity: Severity
  /** A lead or analyst set the severity (kept, but an escalation outranks it). */
  severityAdjusted: boolean
  severitySource: SeveritySource
  classification: Classification | null
  closeReason: string | null
  closedAt: string | null
  closedByEmail: string | null
  reviewStatus: ReviewStatus
  reviewedByEmail: string | null
  reviewedAt: string | null
}

export interface TriageComment {
  id: number
  authorEmail: string | null
  body: string
  createdAt: string
}
