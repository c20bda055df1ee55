import { REVIEW_LABELS, SEVERITY_LABELS, STATUS_LABELS, type ReviewStatus, type Severity, type TriageStatus } from '@/lib/triage/triage-model'

export function StatusBadge({ status }: { status: TriageStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABELS[status]}</span>
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge severity-${severity}`}>{SEVERITY_LABELS[severity]}</span>
}

export function ReviewBadge({ review }: { review: ReviewStatus }) {
  if (review === 'not_required') return <span className="muted">—</span>
  return <span className={`badge review-${review}`}>{REVIEW_LABELS[review]}</span>
}
