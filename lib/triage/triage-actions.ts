import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Prisma } from '@/lib/generated/prisma/client'
import type { Actor } from '@/lib/auth/actor'
import { actorLabel } from '@/lib/auth/actor'
import { recordAudit } from '@/lib/auth/audit'
import { atLeast, can } from '@/lib/auth/roles'
import { getPrisma } from '@/lib/db/database'
import type { Verdict } from '@/lib/detection/verdicts'
import { RequestError } from '@/lib/errors'
import { sqlFile } from '@/lib/sql-file'
import { CLASSIFICATIONS, MAX_BULK_FINDINGS, SEVERITIES, type Classification, type ReviewStatus, type Severity, type TriageStatus } from './triage-model'
import { idSchema } from '@/lib/http/edge-input'
import { findingsOfView } from './view-selection'

/**
 * Changing the triage of findings and campaigns: assign, set status, adjust severity, close with
 * a classification, review, comment. A campaign is worked like a finding (the incident an
 * analyst owns), under the same rules and in the same records. Every change is checked against
 * the rules here (not only in the UI), made in one transaction with its audit entries, and
 * applies to one subject or a whole selection.
 */

/** What a triage record is about. */
export type TriageSubject = 'finding' | 'campaign'

const SUBJECT_SQL: Record<TriageSubject, { ensure: string; lock: string }> = {
  finding: { ensure: 'triage/sql/ensure-triage-records.sql', lock: 'triage/sql/lock-triage-records.sql' },
  campaign: { ensure: 'triage/sql/ensure-campaign-triage-records.sql', lock: 'triage/sql/lock-campaign-triage-records.sql' },
}

const PLURAL: Record<TriageSubject, string> = { finding: 'findings', campaign: 'campaigns' }

/** A triage change the rules refuse (answered by the API with its status). */
export class TriageRuleError extends RequestError {}

const reason = z.string().trim().min(1, 'a closing reason is required').max(2000)

const ids = z.array(idSchema).min(1).max(MAX_BULK_FINDINGS)

const changeShape = {
  /** A user id, or null to unassign. */
  assign: idSchema.nullable().optional(),
  status: z.enum(['new', 'active']).optional(),
  /** null returns to the severity of the tier. */
  severity: z.enum(SEVERITIES).nullable().optional(),
  close: z.object({ classification: z.enum(CLASSIFICATIONS), reason, comment: z.string().trim().max(10_000).optional() }).optional(),
}

type Change = { assign?: number | null; status?: 'new' | 'active'; severity?: Severity | null; close?: { classification: Classification; reason: string; comment?: string } }

const somethingToChange = (c: Change) => c.assign !== undefined || c.status !== undefined || c.severity !== undefined || c.close !== undefined
const statusOrClose = (c: Change) => !(c.status && c.close)

/**
 * A selection is either ids (at most MAX_BULK_FINDINGS) or a whole findings view: the view's query
 * string, resolved on the server (any number of findings), with the number the user confirmed.
 */
const selectionShape = {
  findingIds: ids.optional(),
  view: z.string().max(8000).optional(),
  /** With view: how many findings the confirmation named; a view that now matches another number is refused. */
  expected: z.number().int().nonnegative().optional(),
}
const oneSelection = (s: { findingIds?: number[]; view?: string; expected?: number }) => (s.findingIds === undefined) !== (s.view === undefined) && (s.view === undefined || s.expected !== undefined)
const selectionMessage = { message: 'send findingIds, or view with expected (the count confirmed)' }

export const triageChangeSchema = z
  .object({ ...selectionShape, ...changeShape })
  .refine(oneSelection, selectionMessage)
  .refine(somethingToChange, { message: 'nothing to change' })
  .refine(statusOrClose, { message: 'set a status or close, not both' })

export type TriageChange = z.infer<typeof triageChangeSchema>

export const campaignTriageChangeSchema = z
  .object({
    campaignIds: ids,
    ...changeShape,
    /** With close: close the campaigns' open findings too, with the same classification and reason. */
    closeFindings: z.boolean().default(false),
  })
  .refine(somethingToChange, { message: 'nothing to change' })
  .refine(statusOrClose, { message: 'set a status or close, not both' })
  .refine((c) => !c.closeFindings || c.close !== undefined, { message: 'closeFindings goes with close' })

export type CampaignTriageChange = z.input<typeof campaignTriageChangeSchema>

export const reviewSchema = z
  .object({ decision: z.enum(['approve', 'reopen']), comment: z.string().trim().max(10_000).default('') })
  .refine((r) => r.decision === 'approve' || r.comment.length > 0, { message: 'say why the finding is reopened', path: ['comment'] })

export const commentSchema = z.object({ body: z.string().trim().min(1, 'a comment cannot be empty').max(10_000) })

interface LockedRow {
  subject_id: number
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

/** A whole view may be thousands of findings, each updated and audited in one transaction. */
const BULK_TRANSACTION = { timeout: 300_000, maxWait: 15_000 }

/** Rows per statement: well under PostgreSQL's 65,535 bind parameters for any table here. */
const CHUNK = 2000

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK))
  return out
}

/**
 * The writes of a change to a selection, made in a few statements instead of two per record: the
 * records that get the same new values are updated together, the audit entries and comments are
 * inserted together, all in the caller's transaction (a view may hold thousands of findings).
 */
class SelectionWrites {
  private readonly updates = new Map<string, { data: Prisma.TriageRecordUncheckedUpdateManyInput; ids: number[] }>()
  private readonly audits: Prisma.AuditEventCreateManyInput[] = []
  private readonly comments: Prisma.TriageCommentCreateManyInput[] = []

  constructor(private readonly actor: Actor) {}

  update(recordId: number, data: Prisma.TriageRecordUncheckedUpdateManyInput): void {
    const key = JSON.stringify(data)
    const group = this.updates.get(key) ?? { data, ids: [] }
    group.ids.push(recordId)
    this.updates.set(key, group)
  }

  audit(action: string, recordId: number, before: Record<string, unknown> | null, after: Record<string, unknown>): void {
    this.audits.push({
      actorId: this.actor.user.id,
      actorLabel: actorLabel(this.actor),
      action,
      entityType: 'triage',
      entityId: String(recordId),
      before: before === null ? undefined : (before as Prisma.InputJsonValue),
      after: after as Prisma.InputJsonValue,
    })
  }

  comment(recordId: number, body: string): void {
    this.comments.push({ triageRecordId: recordId, authorId: this.actor.user.id, body })
  }

  async flush(tx: Tx): Promise<void> {
    for (const { data, ids } of this.updates.values()) for (const part of chunks(ids)) await tx.triageRecord.updateMany({ where: { id: { in: part } }, data })
    for (const part of chunks(this.comments)) await tx.triageComment.createMany({ data: part })
    for (const part of chunks(this.audits)) await tx.auditEvent.createMany({ data: part })
  }
}

/** The subjects with their triage records (created on first use), locked until the transaction ends. */
async function lockSubjects(tx: Tx, subject: TriageSubject, subjectIds: number[]): Promise<LockedRow[]> {
  const unique = [...new Set(subjectIds)]
  await tx.$executeRawUnsafe(sqlFile(SUBJECT_SQL[subject].ensure), unique)
  const rows = await tx.$queryRawUnsafe<LockedRow[]>(sqlFile(SUBJECT_SQL[subject].lock), unique)
  const found = new Set(rows.map((r) => r.subject_id))
  const missing = unique.filter((id) => !found.has(id))
  if (missing.length) throw new TriageRuleError(404, `no ${subject} ${missing.join(', ')}`)
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

async function ownerEmail(tx: Tx, id: number | null, cache?: Map<number, string | null>): Promise<string | null> {
  if (id === null) return null
  if (cache?.has(id)) return cache.get(id)!
  const email = (await tx.user.findUnique({ where: { id }, select: { email: true } }))?.email ?? null
  cache?.set(id, email)
  return email
}

function reopened() {
  return { classification: null, closeReason: null, closedAt: null, closedById: null, reviewStatus: 'not_required' as const, reviewedById: null, reviewedAt: null }
}

async function checkAssignee(tx: Tx, assign: number | null | undefined): Promise<void> {
  if (!assign) return
  const assignee = await tx.user.findUnique({ where: { id: assign } })
  if (!assignee || assignee.disabled) throw new TriageRuleError(400, `no active user ${assign} to assign to`)
  if (!atLeast(assignee.role, 'analyst')) throw new TriageRuleError(400, `${assignee.email} is a viewer and cannot own ${PLURAL.finding} or ${PLURAL.campaign}`)
}

/**
 * One change to the triage of several findings or campaigns, inside the caller's transaction.
 * With `batch`, each audit entry carries it: the change can be undone as one (undoTriageBatch).
 */
async function changeTriage(tx: Tx, subject: TriageSubject, subjectIds: number[], change: Change, actor: Actor, batch?: string): Promise<number> {
  const rows = await lockSubjects(tx, subject, subjectIds)
  if (change.close?.classification === 'false_positive' && !can(actor.user.role, 'closeHighAsFalsePositive')) {
    // A Critical one (a probed password proved right) weighs at least as much as a High one.
    const high = rows.filter((r) => r.verdict === 'High Confidence Enumeration' || r.escalated)
    if (high.length) {
      throw new TriageRuleError(403, `High Confidence and Critical ${PLURAL[subject]} (${high.map((r) => r.subject_id).join(', ')}) can only be closed as false positive by a lead`)
    }
  }
  const now = new Date()
  // A selection of thousands has a handful of owners: look each up once.
  const emails = new Map<number, string | null>()
  const writes = new SelectionWrites(actor)
  for (const row of rows) {
    const data: Prisma.TriageRecordUncheckedUpdateManyInput = {}
    const before: Record<string, unknown> = { owner: await ownerEmail(tx, row.owner_id, emails), status: row.status, severity: row.severity, classification: row.classification, reason: row.close_reason, review: row.review_status }
    const after: Record<string, unknown> = { ...before }
    let action = 'triage.update'
    if (change.assign !== undefined) {
      data.ownerId = change.assign
      after.owner = await ownerEmail(tx, change.assign, emails)
      action = 'triage.assign'
      // Taking a new one is starting work on it.
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
    writes.update(row.triage_id, data)
    writes.audit(action, row.triage_id, { [subject]: row.subject_id, ...b }, { [subject]: row.subject_id, ...a, ...(batch ? { batch } : {}) })
    if (change.close?.comment) {
      writes.comment(row.triage_id, change.close.comment)
      writes.audit('triage.comment', row.triage_id, null, { [subject]: row.subject_id, comment: change.close.comment })
    }
  }
  await writes.flush(tx)
  return rows.length
}

/**
 * A change to a selection of findings: ids, or a whole view resolved here. Owner, status and
 * severity changes get a batch id (answered as `batch`) that undoTriageBatch takes back.
 */
export async function applyTriage(input: TriageChange, actor: Actor): Promise<{ changed: number; batch: string | null }> {
  if (!can(actor.user.role, 'triage')) throw new TriageRuleError(403, 'triage needs the analyst role')
  const { findingIds, view, expected, ...change } = triageChangeSchema.parse(input)
  const selected = findingIds ?? (await findingsOfView(view!, expected!, actor))
  if (selected.length === 0) return { changed: 0, batch: null }
  const batch = change.close ? null : randomUUID()
  const prisma = await getPrisma()
  return prisma.$transaction(
    async (tx) => {
      await checkAssignee(tx, change.assign)
      return { changed: await changeTriage(tx, 'finding', selected, change, actor, batch ?? undefined), batch }
    },
    BULK_TRANSACTION,
  )
}

/**
 * The same change for campaigns. Closing with `closeFindings` closes the campaigns' findings that
 * are still open in the same transaction, under the findings' own rules (a High finding is
 * still closed as false positive only by a lead), each with its own audit entry.
 */
export async function applyCampaignTriage(input: CampaignTriageChange, actor: Actor): Promise<{ changed: number; findingsClosed: number }> {
  if (!can(actor.user.role, 'triage')) throw new TriageRuleError(403, 'triage needs the analyst role')
  const { campaignIds, closeFindings, ...change } = campaignTriageChangeSchema.parse(input)
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    await checkAssignee(tx, change.assign)
    const changed = await changeTriage(tx, 'campaign', campaignIds, change, actor, change.close ? undefined : randomUUID())
    let findingsClosed = 0
    if (closeFindings && change.close) {
      const open = await tx.$queryRawUnsafe<{ id: number }[]>(sqlFile('triage/sql/open-campaign-findings.sql'), [...new Set(campaignIds)])
      if (open.length) findingsClosed = await changeTriage(tx, 'finding', open.map((f) => f.id), { close: change.close }, actor)
    }
    return { changed, findingsClosed }
  })
}

export const bulkReviewSchema = z.object({ ...selectionShape, decision: z.literal('approve') }).refine(oneSelection, selectionMessage)

export const bulkCampaignReviewSchema = z.object({ campaignIds: ids, decision: z.literal('approve') })

/**
 * A lead's review of closed findings or campaigns, all or none: approving a selection from the
 * review queue, or one approved or reopened (with the comment that says why) from its page.
 */
async function review(subject: TriageSubject, subjectIds: number[], input: z.input<typeof reviewSchema>, actor: Actor): Promise<{ reviewed: number }> {
  if (!can(actor.user.role, 'review')) throw new TriageRuleError(403, 'reviewing needs the lead role')
  const decision = reviewSchema.parse(input)
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    const rows = await lockSubjects(tx, subject, subjectIds)
    const waiting = rows.filter((r) => r.status !== 'closed' || r.review_status !== 'pending').map((r) => r.subject_id)
    if (waiting.length) {
      const noun = waiting.length === 1 ? subject : PLURAL[subject]
      throw new TriageRuleError(409, `${noun} ${waiting.slice(0, 20).join(', ')}${waiting.length > 20 ? '…' : ''} ${waiting.length === 1 ? 'is' : 'are'} not waiting for review`)
    }
    const now = new Date()
    const writes = new SelectionWrites(actor)
    for (const row of rows) {
      const key = { [subject]: row.subject_id }
      if (decision.decision === 'approve') {
        writes.update(row.triage_id, { reviewStatus: 'approved', reviewedById: actor.user.id, reviewedAt: now })
        writes.audit('triage.review.approve', row.triage_id, { ...key, review: 'pending' }, { ...key, review: 'approved' })
      } else {
        writes.update(row.triage_id, { ...reopened(), status: 'active', reviewStatus: 'reopened', reviewedById: actor.user.id, reviewedAt: now })
        writes.audit(
          'triage.review.reopen',
          row.triage_id,
          { ...key, status: 'closed', classification: row.classification, reason: row.close_reason, review: 'pending' },
          { ...key, status: 'active', classification: null, reason: null, review: 'reopened' },
        )
      }
      if (decision.comment) {
        writes.comment(row.triage_id, decision.comment)
        writes.audit('triage.comment', row.triage_id, null, { ...key, comment: decision.comment })
      }
    }
    await writes.flush(tx)
    return { reviewed: rows.length }
  }, BULK_TRANSACTION)
}

export const reviewFinding = (findingId: number, input: z.input<typeof reviewSchema>, actor: Actor) => review('finding', [findingId], input, actor)
export const reviewFindings = (findingIds: number[], input: z.input<typeof reviewSchema>, actor: Actor) => review('finding', findingIds, input, actor)
export const reviewCampaign = (campaignId: number, input: z.input<typeof reviewSchema>, actor: Actor) => review('campaign', [campaignId], input, actor)
export const reviewCampaigns = (campaignIds: number[], input: z.input<typeof reviewSchema>, actor: Actor) => review('campaign', campaignIds, input, actor)

/** A lead approves a selection of the review queue: ids, or every finding of the queue's view. */
export async function approveFindings(input: z.input<typeof bulkReviewSchema>, actor: Actor): Promise<{ reviewed: number }> {
  if (!can(actor.user.role, 'review')) throw new TriageRuleError(403, 'reviewing needs the lead role')
  const { findingIds, view, expected, decision } = bulkReviewSchema.parse(input)
  const selected = findingIds ?? (await findingsOfView(view!, expected!, actor))
  if (selected.length === 0) return { reviewed: 0 }
  return review('finding', selected, { decision }, actor)
}

async function comment(subject: TriageSubject, subjectId: number, input: z.input<typeof commentSchema>, actor: Actor): Promise<void> {
  if (!can(actor.user.role, 'comment')) throw new TriageRuleError(403, 'commenting needs the analyst role')
  const { body } = commentSchema.parse(input)
  const prisma = await getPrisma()
  await prisma.$transaction(async (tx) => {
    const [row] = await lockSubjects(tx, subject, [subjectId])
    await tx.triageComment.create({ data: { triageRecordId: row.triage_id, authorId: actor.user.id, body } })
    await recordAudit(tx, actor, 'triage.comment', { type: 'triage', id: row.triage_id }, null, { [subject]: subjectId, comment: body })
  })
}

export const addComment = (findingId: number, input: z.input<typeof commentSchema>, actor: Actor) => comment('finding', findingId, input, actor)
export const addCampaignComment = (campaignId: number, input: z.input<typeof commentSchema>, actor: Actor) => comment('campaign', campaignId, input, actor)

export const undoSchema = z.object({ batch: z.uuid() })

/** The fields a bulk change can set that an undo restores. A reopen or a close is not undone this way. */
const UNDOABLE_ACTIONS = new Set(['triage.assign', 'triage.severity', 'triage.status', 'triage.update'])
const UNDOABLE_FIELDS = ['owner', 'status', 'severity'] as const

interface BatchEntry {
  entry_id: bigint
  action: string
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
  triage_id: number
  status: TriageStatus
  owner_id: number | null
  owner_email: string | null
  severity: Severity | null
}

/**
 * Undoes one bulk owner, status or severity change the actor made (within a day): each record
 * gets back the value it had before, audited as `triage.undo`, all in one transaction. A record
 * someone changed since keeps its newer value and is counted in `kept`; a second undo is refused.
 */
export async function undoTriageBatch(input: z.input<typeof undoSchema>, actor: Actor): Promise<{ restored: number; kept: number }> {
  if (!can(actor.user.role, 'triage')) throw new TriageRuleError(403, 'triage needs the analyst role')
  const { batch } = undoSchema.parse(input)
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    const entries = await tx.$queryRawUnsafe<BatchEntry[]>(sqlFile('triage/sql/batch-entries.sql'), batch, actor.user.id)
    if (entries.length === 0) throw new TriageRuleError(404, 'no change of yours to undo: a bulk change can be undone by whoever made it, for a day')
    const [{ undone }] = await tx.$queryRawUnsafe<{ undone: boolean }[]>(sqlFile('triage/sql/batch-undone.sql'), batch)
    if (undone) throw new TriageRuleError(409, 'this change was already undone')
    const ids = new Map<string, number | null>()
    const userId = async (email: string) => {
      if (!ids.has(email)) ids.set(email, (await tx.user.findUnique({ where: { email }, select: { id: true } }))?.id ?? null)
      return ids.get(email)!
    }
    let restored = 0
    let kept = 0
    const writes = new SelectionWrites(actor)
    for (const entry of entries) {
      const before = entry.before ?? {}
      const after = entry.after ?? {}
      const fields = UNDOABLE_FIELDS.filter((f) => f in after)
      const now: Record<string, unknown> = { owner: entry.owner_email, status: entry.status, severity: entry.severity }
      // Only a record that still holds what the change made it goes back; a later change wins.
      const untouched = fields.every((f) => (now[f] ?? null) === (after[f] ?? null))
      if (!UNDOABLE_ACTIONS.has(entry.action) || !untouched || fields.length === 0) {
        kept++
        continue
      }
      const data: Prisma.TriageRecordUncheckedUpdateManyInput = {}
      if (fields.includes('owner')) {
        const previous = (before.owner as string | null) ?? null
        const id = previous === null ? null : await userId(previous)
        if (previous !== null && id === null) {
          kept++
          continue
        }
        data.ownerId = id
      }
      if (fields.includes('status')) data.status = before.status as TriageStatus
      if (fields.includes('severity')) data.severity = (before.severity as Severity | null) ?? null
      const subject = 'finding' in after ? { finding: after.finding } : { campaign: after.campaign }
      writes.update(entry.triage_id, data)
      writes.audit(
        'triage.undo',
        entry.triage_id,
        { ...subject, ...Object.fromEntries(fields.map((f) => [f, now[f] ?? null])) },
        { ...subject, ...Object.fromEntries(fields.map((f) => [f, before[f] ?? null])), undoes: batch },
      )
      restored++
    }
    await writes.flush(tx)
    return { restored, kept }
  }, BULK_TRANSACTION)
}
