import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { getPool, getPrisma } from '@/lib/db/database'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { listFindings } from '@/lib/findings/list-findings'
import { recomputeDataset } from '@/lib/derive/recompute'
import { addComment, applyTriage, reviewFinding } from '@/lib/triage/triage-actions'
import { getFindingTriage } from '@/lib/triage/triage-queries'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'

// Triage rules, enforced in lib (not only in the UI), and their audit trail.
useTestDatabase()

const actors: Record<'analyst' | 'lead' | 'viewer', Actor> = {} as never

function burst(ip: string, start: string, users: number, idPrefix: string): string {
  return Array.from({ length: users }, (_, i) =>
    JSON.stringify({ '@timestamp': Date.parse(start) + i * 1000, id: `${idPrefix}-${i}`, resultType: '50034', ipAddress: ip, userPrincipalName: `${ip}-u${i}@contoso.com`, clientAppUsed: 'Browser', userAgent: 'x', appDisplayName: 'App' }),
  ).join('\n')
}

async function findingId(ip: string): Promise<number> {
  const page = await listFindings(parseFindingsQuery({ q: ip }))
  return page.rows[0].id
}

let datasetId = 0

beforeAll(async () => {
  for (const role of ['analyst', 'lead', 'viewer'] as const) {
    actors[role] = { user: await createUser({ email: `${role}@example.com`, role, password: `${role}-password-123` }), via: 'session' }
  }
  datasetId = (await findOrCreateDataset('triage')).id
  await ingestContent('triage', 'a.ndjson', [burst('203.0.113.1', '2026-03-02T10:00:00Z', 55, 'high'), burst('203.0.113.2', '2026-03-02T11:00:00Z', 25, 'mod'), burst('203.0.113.3', '2026-03-02T12:00:00Z', 12, 'low')].join('\n'))
})

describe('triage', () => {
  it('assigning a new finding starts it, and only analysts and above may own findings', async () => {
    const id = await findingId('203.0.113.2')
    await applyTriage({ findingIds: [id], assign: actors.analyst.user.id }, actors.analyst)
    const { state, audit } = await getFindingTriage(id, 'Moderate Enumeration')
    expect(state).toMatchObject({ status: 'active', ownerEmail: 'analyst@example.com', severity: 'medium', severityAdjusted: false })
    expect(audit.map((a) => [a.action, a.actorLabel, a.before, a.after])).toEqual([
      ['triage.assign', 'analyst@example.com', { finding: id, owner: null, status: 'new' }, { finding: id, owner: 'analyst@example.com', status: 'active', batch: expect.any(String) }],
    ])
    await expect(applyTriage({ findingIds: [id], assign: actors.viewer.user.id }, actors.analyst)).rejects.toMatchObject({ status: 400 })
    await expect(applyTriage({ findingIds: [id], status: 'active' }, actors.viewer)).rejects.toMatchObject({ status: 403 })
  })

  it("an analyst's closure waits for a lead, who approves it; a reason is required", async () => {
    const id = await findingId('203.0.113.2')
    await expect(applyTriage({ findingIds: [id], close: { classification: 'true_positive', reason: '  ' } }, actors.analyst)).rejects.toThrow(/reason/)
    await applyTriage({ findingIds: [id], close: { classification: 'true_positive', reason: 'spray tool', comment: 'blocked' } }, actors.analyst)
    let { state, comments } = await getFindingTriage(id, 'Moderate Enumeration')
    expect(state).toMatchObject({ status: 'closed', classification: 'true_positive', closeReason: 'spray tool', reviewStatus: 'pending', closedByEmail: 'analyst@example.com' })
    expect(comments.map((c) => [c.authorEmail, c.body])).toEqual([['analyst@example.com', 'blocked']])
    await expect(reviewFinding(id, { decision: 'approve' }, actors.analyst)).rejects.toMatchObject({ status: 403 })
    await reviewFinding(id, { decision: 'approve', comment: '' }, actors.lead)
    ;({ state } = await getFindingTriage(id, 'Moderate Enumeration'))
    expect(state).toMatchObject({ reviewStatus: 'approved', reviewedByEmail: 'lead@example.com' })
    await expect(reviewFinding(id, { decision: 'approve' }, actors.lead)).rejects.toMatchObject({ status: 409 })
  })

  it('a lead reopening in review must say why, and the classification is cleared', async () => {
    const id = await findingId('203.0.113.3')
    await applyTriage({ findingIds: [id], close: { classification: 'benign_positive', reason: 'pen test' } }, actors.analyst)
    await expect(reviewFinding(id, { decision: 'reopen', comment: '' }, actors.lead)).rejects.toThrow(/why/)
    await reviewFinding(id, { decision: 'reopen', comment: 'No pen test was scheduled that day.' }, actors.lead)
    const { state, comments, audit } = await getFindingTriage(id, 'Low-Level Enumeration')
    expect(state).toMatchObject({ status: 'active', classification: null, closeReason: null, reviewStatus: 'reopened' })
    expect(comments.at(-1)).toMatchObject({ authorEmail: 'lead@example.com', body: 'No pen test was scheduled that day.' })
    expect(audit.map((a) => a.action)).toEqual(['triage.close', 'triage.review.reopen', 'triage.comment'])
  })

  it('High Confidence findings are closed as false positive only by a lead, whose closure needs no review', async () => {
    const id = await findingId('203.0.113.1')
    await expect(applyTriage({ findingIds: [id], close: { classification: 'false_positive', reason: 'sync server' } }, actors.analyst)).rejects.toMatchObject({ status: 403 })
    expect((await getFindingTriage(id, 'High Confidence Enumeration')).state.status).toBe('new')
    await applyTriage({ findingIds: [id], close: { classification: 'false_positive', reason: 'Entra Connect sync server' } }, actors.lead)
    expect((await getFindingTriage(id, 'High Confidence Enumeration')).state).toMatchObject({ status: 'closed', classification: 'false_positive', reviewStatus: 'approved' })
  })

  it('bulk changes are all or nothing', async () => {
    const ids = [await findingId('203.0.113.1'), await findingId('203.0.113.3')]
    await expect(applyTriage({ findingIds: [...ids, 999999], severity: 'critical' }, actors.analyst)).rejects.toMatchObject({ status: 404 })
    for (const id of ids) expect((await getFindingTriage(id, 'Low-Level Enumeration')).state.severityAdjusted).toBe(false)
    await applyTriage({ findingIds: ids, severity: 'critical' }, actors.analyst)
    const rows = (await listFindings(parseFindingsQuery({ dataset: String(datasetId), sort: 'ipAddress.asc' }))).rows
    expect(rows.map((r) => [r.ipAddress, r.severity])).toEqual([
      ['203.0.113.1', 'critical'],
      ['203.0.113.2', 'medium'],
      ['203.0.113.3', 'critical'],
    ])
  })

  it('survives re-running the detection and new imports (keyed by the finding, not its id)', async () => {
    const before = await findingId('203.0.113.2')
    await addComment(before, { body: 'still relevant' }, actors.analyst)
    // Wipe and recompute the stored findings: new ids, same natural keys.
    const pool = await getPool()
    await pool.query('DELETE FROM findings WHERE dataset_id = $1', [datasetId])
    expect(await recomputeDataset(datasetId, { full: true })).toMatchObject({ status: 'current' })
    const after = await findingId('203.0.113.2')
    expect(after).not.toBe(before)
    const { state, comments } = await getFindingTriage(after, 'Moderate Enumeration')
    expect(state).toMatchObject({ status: 'closed', reviewStatus: 'approved' })
    expect(comments.map((c) => c.body)).toContain('still relevant')
    const filtered = await listFindings(parseFindingsQuery({ review: 'approved', dataset: String(datasetId) }))
    expect(filtered.rows.map((r) => r.ipAddress).sort()).toEqual(['203.0.113.1', '203.0.113.2'])
  })

  it('the audit trail is append-only, in the database itself', async () => {
    const prisma = await getPrisma()
    expect(await prisma.auditEvent.count()).toBeGreaterThan(5)
    await expect(prisma.$executeRawUnsafe('UPDATE audit_events SET actor_label = $1', 'someone else')).rejects.toThrow(/append-only/)
    await expect(prisma.$executeRawUnsafe('DELETE FROM audit_events')).rejects.toThrow(/append-only/)
  })
})
