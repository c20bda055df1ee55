import { auditTrail, type AuditEntry } from '@/lib/auth/audit'
import { getPrisma } from '@/lib/db/database'
import type { Verdict } from '@/lib/detection/verdicts'
import { sqlFile } from '@/lib/sql-file'
import { effectiveSeverity, severityFromVerdict, severitySource, type Classification, type ReviewStatus, type Severity, type TriageComment, type TriageState, type TriageStatus } from './triage-model'

export interface FindingTriage {
  state: TriageState
  comments: TriageComment[]
  audit: AuditEntry[]
}

interface Row {
  record_id: number
  status: TriageStatus
  owner_id: number | null
  owner_email: string | null
  severity: Severity | null
  classification: Classification | null
  close_reason: string | null
  closed_at: Date | null
  closed_by_email: string | null
  review_status: ReviewStatus
  reviewed_by_email: string | null
  reviewed_at: Date | null
}

export function untriaged(verdict: Verdict, escalated = false): TriageState {
  return {
    recordId: null,
    status: 'new',
    ownerId: null,
    ownerEmail: null,
    severity: severityFromVerdict(verdict, escalated),
    severityAdjusted: false,
    severitySource: severitySource(null, escalated),
    classification: null,
    closeReason: null,
    closedAt: null,
    closedByEmail: null,
    reviewStatus: 'not_required',
    reviewedByEmail: null,
    reviewedAt: null,
  }
}

/** The triage state, comments and audit trail of one finding. */
export function getFindingTriage(findingId: number, verdict: Verdict, escalated = false): Promise<FindingTriage> {
  return getTriage('triage/sql/finding-triage.sql', findingId, verdict, escalated)
}

/** The same for one campaign (worked like a finding; Critical once one of its findings escalated). */
export function getCampaignTriage(campaignId: number, verdict: Verdict, escalated: boolean): Promise<FindingTriage> {
  return getTriage('triage/sql/campaign-triage.sql', campaignId, verdict, escalated)
}

async function getTriage(query: string, subjectId: number, verdict: Verdict, escalated: boolean): Promise<FindingTriage> {
  const prisma = await getPrisma()
  const [row] = await prisma.$queryRawUnsafe<Row[]>(sqlFile(query), subjectId)
  if (!row) return { state: untriaged(verdict, escalated), comments: [], audit: [] }
  const [comments, audit] = await Promise.all([
    prisma.triageComment.findMany({ where: { triageRecordId: row.record_id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: { author: { select: { email: true } } } }),
    auditTrail('triage', row.record_id),
  ])
  return {
    state: {
      recordId: row.record_id,
      status: row.status,
      ownerId: row.owner_id,
      ownerEmail: row.owner_email,
      severity: effectiveSeverity(row.severity, verdict, escalated),
      severityAdjusted: row.severity !== null,
      severitySource: severitySource(row.severity, escalated),
      classification: row.classification,
      closeReason: row.close_reason,
      closedAt: row.closed_at?.toISOString() ?? null,
      closedByEmail: row.closed_by_email,
      reviewStatus: row.review_status,
      reviewedByEmail: row.reviewed_by_email,
      reviewedAt: row.reviewed_at?.toISOString() ?? null,
    },
    comments: comments.map((c) => ({ id: c.id, authorEmail: c.author?.email ?? null, body: c.body, createdAt: c.createdAt.toISOString() })),
    audit,
  }
}

/** People findings can be assigned to: active analysts, leads and admins. */
export async function listAssignees(): Promise<{ id: number; email: string; displayName: string }[]> {
  const prisma = await getPrisma()
  return prisma.user.findMany({
    where: { disabled: false, role: { in: ['analyst', 'lead', 'admin'] } },
    select: { id: true, email: true, displayName: true },
    orderBy: { email: 'asc' },
  })
}
