import { z } from 'zod'
import type { Prisma } from '@/lib/generated/prisma/client'
import type { Actor } from '@/lib/auth/actor'
import { recordAudit } from '@/lib/auth/audit'
import { atLeast, can } from '@/lib/auth/roles'
import { getPrisma } from '@/lib/db/database'
import type { Verdict } from '@/lib/detection/verdicts'
import { RequestError } from '@/lib/errors'
import { sqlFile } from '@/lib/sql-file'
import { CLASSIFICATIONS, MAX_BULK_FINDINGS, SEVERITIES, type Classification, type ReviewStatus, type Severity, type TriageStatus } from './triage-model'

/**
 * Changing findings' triage: assign, set status, adjust severity, close with a classification,
 * review, comment. Every change is checked against the rules here (not only in the UI), made in
 * one transaction with its audit entries, and applies to one finding or a whole selection.
 */

/** A triage change the rules refuse (answered by the API with its status). */
export class TriageRuleError extends RequestError {}

const reason = z.string().trim().min(1, 'a closing reason is required').max(2000)

export const triageChangeSchema = z
  .object({
    findingIds: z.array(z.number().int().positive()).min(1).max(MAX_BULK_FINDINGS),
    /** A user id, or null to unassign. */
    assign: z.number().int().positive().nullable().optional(),
    status: z.enum(['new', 'active']).optional(),
    /** null returns to the severity of the finding's tier. */
    severity: z.enum(SEVERITIES).nullable().optional(),
    close: z.object({ classification: z.enum(CLASSIFICATIONS), reason, comment: z.string().trim().max(10_000).optional() }).optional(),
  })
  .refine((c) => c.assign !== undefined || c.status !== undefined || c.severity !== undefined || c.close !== undefined, { message: 'nothing to change' })
  .refine((c) => !(c.status && c.close), { message: 'set a status or close, not both' })

export type TriageChange = z.infer<typeof triageChangeSchema>

export const reviewSchema = z
  .object({ decision: z.enum(['approve', 'reopen']), comment: z.string().trim().max(10_000).default('') })
  .refine((r) => r.decision === 'approve' || r.comment.length > 0, { message: 'say why the finding is reopened', path: ['comment'] })

export const commentSchema = z.object({ body: z.string().trim().min(1, 'a comment cannot be empty').max(10_000) })

interface LockedRow {
  finding_id: number
  verdict: Verdict
  escalated: boolean
  triage_id: number
  status: TriageStatus
  owner_id: number | null
  severity: Severity | null
  classification: Classification | null
  close_reason: string | null
  review_status: ReviewStatus
}

type Tx = Prisma.TransactionClient

async function lockFindings(tx: Tx, findingIds: number[]): Promise<LockedRow[]> {
  const unique = [...new Set(findingIds)]
  await tx.$executeRawUnsafe(sqlFile('triage/sql/ensure-triage-records.sql'), unique)
  const rows = await tx.$queryRawUnsafe<LockedRow[]>(sqlFile('triage/sql/lock-triage-records.sql'), unique)
  const found = new Set(rows.map((r) => r.finding_id))
  const missing = unique.filter((id) => !found.has(id))
  if (missing.length) throw new TriageRuleError(404, `no finding ${missing.join(', ')}`)
  return rows
}

/** Only the fields that differ, so the audit trail says exactly what changed. */
function difference(before: Record<string, unknown>, after: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const changedBefore: Record<string, unknown> = {}
  const changedAfter: Record<string, unknown> = {}
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      changedBefore[key] = before[key] ?? null
      changedAfter[key] = after[key] ?? null
    }
  }
  return [changedBefore, changedAfter]
}

async function ownerEmail(tx: Tx, id: number | null): Promise<string | null> {
  if (id === null) return null
  return (await tx.user.findUnique({ where: { id }, select: { email: true } }))?.email ?? null
}

function reopened() {
  return { classification: null, closeReason: null, closedAt: null, closedById: null, reviewStatus: 'not_required' as const, reviewedById: null, reviewedAt: null }
}

export async function applyTriage(input: TriageChange, actor: Actor): Promise<{ changed: number }> {
  if (!can(actor.user.role, 'triage')) throw new TriageRuleError(403, 'triage needs the analyst role')
  const change = triageChangeSchema.parse(input)
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    if (change.assign) {
      const assignee = await tx.user.findUnique({ where: { id: change.assign } })
      if (!assignee || assignee.disabled) throw new TriageRuleError(400, `no active user ${change.assign} to assign to`)
      if (!atLeast(assignee.role, 'analyst')) throw new TriageRuleError(400, `${assignee.email} is a viewer and cannot own findings`)
    }
    const rows = await lockFindings(tx, change.findingIds)
    if (change.close?.classification === 'false_positive' && !can(actor.user.role, 'closeHighAsFalsePositive')) {
      // A Critical finding (a probed password proved right) weighs at least as much as a High one.
      const high = rows.filter((r) => r.verdict === 'High Confidence Enumeration' || r.escalated)
      if (high.length) {
        throw new TriageRuleError(403, `High Confidence and Critical findings (${high.map((r) => r.finding_id).join(', ')}) can only be closed as false positive by a lead`)
      }
    }
    const now = new Date()
    for (const row of rows) {
      const data: Prisma.TriageRecordUpdateInput = {}
      const before: Record<string, unknown> = { owner: await ownerEmail(tx, row.owner_id), status: row.status, severity: row.severity, classification: row.classification, reason: row.close_reason, review: row.review_status }
      const after: Record<string, unknown> = { ...before }
      let action = 'triage.update'
      if (change.assign !== undefined) {
        data.owner = change.assign === null ? { disconnect: true } : { connect: { id: change.assign } }
        after.owner = await ownerEmail(tx, change.assign)
        action = 'triage.assign'
        // Taking a new finding is starting work on it.
        if (change.assign !== null && row.status === 'new' && !change.status && !change.close) {
          data.status = 'active'
          after.status = 'active'
        }
      }
      if (change.severity !== undefined) {
        data.severity = change.severity
        after.severity = change.severity
        action = 'triage.severity'
      }
      if (change.status) {
        data.status = change.status
        after.status = change.status
        action = row.status === 'closed' ? 'triage.reopen' : 'triage.status'
        if (row.status === 'closed') {
          Object.assign(data, reopened())
          Object.assign(after, { classification: null, reason: null, review: 'not_required' })
        }
      }
      if (change.close) {
        // A lead's own closure needs no second look; an analyst's waits for a lead.
        const reviewed = can(actor.user.role, 'review')
        Object.assign(data, {
          status: 'closed',
          classification: change.close.classification,
          closeReason: change.close.reason,
          closedAt: now,
          closedById: actor.user.id,
          reviewStatus: reviewed ? 'approved' : 'pending',
          reviewedById: reviewed ? actor.user.id : null,
          reviewedAt: reviewed ? now : null,
        })
        Object.assign(after, { status: 'closed', classification: change.close.classification, reason: change.close.reason, review: reviewed ? 'approved' : 'pending' })
        action = 'triage.close'
      }
      const [b, a] = difference(before, after)
      if (Object.keys(a).length === 0 && !change.close?.comment) continue
      await tx.triageRecord.update({ where: { id: row.triage_id }, data })
      await recordAudit(tx, actor, action, { type: 'triage', id: row.triage_id }, { finding: row.finding_id, ...b }, { finding: row.finding_id, ...a })
      if (change.close?.comment) {
        await tx.triageComment.create({ data: { triageRecordId: row.triage_id, authorId: actor.user.id, body: change.close.comment } })
        await recordAudit(tx, actor, 'triage.comment', { type: 'triage', id: row.triage_id }, null, { finding: row.finding_id, comment: change.close.comment })
      }
    }
    return { changed: rows.length }
  })
}

export const bulkReviewSchema = z.object({ findingIds: z.array(z.number().int().positive()).min(1).max(MAX_BULK_FINDINGS), decision: z.literal('approve') })

export async function reviewFinding(findingId: number, input: z.input<typeof reviewSchema>, actor: Actor): Promise<void> {
  await reviewFindings([findingId], input, actor)
}

/**
 * A lead's review of closed findings, all or none: approving a selection from the review queue,
 * or one finding approved or reopened (with the comment that says why) from its page.
 */
export async function reviewFindings(findingIds: number[], input: z.input<typeof reviewSchema>, actor: Actor): Promise<{ reviewed: number }> {
  if (!can(actor.user.role, 'review')) throw new TriageRuleError(403, 'reviewing needs the lead role')
  const review = reviewSchema.parse(input)
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    const rows = await lockFindings(tx, findingIds)
    const waiting = rows.filter((r) => r.status !== 'closed' || r.review_status !== 'pending').map((r) => r.finding_id)
    if (waiting.length) throw new TriageRuleError(409, `${waiting.length === 1 ? 'finding' : 'findings'} ${waiting.slice(0, 20).join(', ')}${waiting.length > 20 ? '…' : ''} ${waiting.length === 1 ? 'is' : 'are'} not waiting for review`)
    const now = new Date()
    for (const row of rows) {
      const findingId = row.finding_id
      if (review.decision === 'approve') {
        await tx.triageRecord.update({ where: { id: row.triage_id }, data: { reviewStatus: 'approved', reviewedById: actor.user.id, reviewedAt: now } })
        await recordAudit(tx, actor, 'triage.review.approve', { type: 'triage', id: row.triage_id }, { finding: findingId, review: 'pending' }, { finding: findingId, review: 'approved' })
      } else {
        await tx.triageRecord.update({
          where: { id: row.triage_id },
          data: { ...reopened(), status: 'active', reviewStatus: 'reopened', reviewedById: actor.user.id, reviewedAt: now },
        })
        await recordAudit(
          tx,
          actor,
          'triage.review.reopen',
          { type: 'triage', id: row.triage_id },
          { finding: findingId, status: 'closed', classification: row.classification, reason: row.close_reason, review: 'pending' },
          { finding: findingId, status: 'active', classification: null, reason: null, review: 'reopened' },
        )
      }
      if (review.comment) {
        await tx.triageComment.create({ data: { triageRecordId: row.triage_id, authorId: actor.user.id, body: review.comment } })
        await recordAudit(tx, actor, 'triage.comment', { type: 'triage', id: row.triage_id }, null, { finding: findingId, comment: review.comment })
      }
    }
    return { reviewed: rows.length }
  })
}

export async function addComment(findingId: number, input: z.input<typeof commentSchema>, actor: Actor): Promise<void> {
  if (!can(actor.user.role, 'comment')) throw new TriageRuleError(403, 'commenting needs the analyst role')
  const { body } = commentSchema.parse(input)
  const prisma = await getPrisma()
  await prisma.$transaction(async (tx) => {
    const [row] = await lockFindings(tx, [findingId])
    await tx.triageComment.create({ data: { triageRecordId: row.triage_id, authorId: actor.user.id, body } })
    await recordAudit(tx, actor, 'triage.comment', { type: 'triage', id: row.triage_id }, null, { finding: findingId, comment: body })
  })
}
