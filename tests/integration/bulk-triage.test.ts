import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { listCampaigns } from '@/lib/campaigns/list-campaigns'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { listFindings } from '@/lib/findings/list-findings'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { saveDatasetSettings } from '@/lib/tuning/dataset-settings'
import { listCampaignReviewQueue } from '@/lib/triage/campaign-review-queue'
import { applyCampaignTriage, applyTriage, approveFindings, reviewCampaigns, undoTriageBatch } from '@/lib/triage/triage-actions'
import { MAX_BULK_FINDINGS } from '@/lib/triage/triage-model'
import { getFindingTriage } from '@/lib/triage/triage-queries'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'
import { probeAttempts } from '../helpers/probe-attempts'

// Issue 13, the rest of acting on what you find: a bulk change to a whole view resolved on the
// server (no list of ids, no cap), undo of a bulk owner or severity change, and campaigns in the
// review queue beside findings, approved in bulk.
useTestDatabase()

const actors: Record<'analyst' | 'other' | 'lead', Actor> = {} as never
const T0 = Date.parse('2026-04-01T08:05:00Z')
const attempts = (ip: string, start: number, count: number, prefix: string): string =>
  probeAttempts(ip, start, count, prefix, { stepMs: 20_000, idPrefix: 'bulk' }).join('\n')

/** `sources` addresses of one /24, one tool, 12 names each in one hour: that many findings (and one campaign). */
async function dataset(name: string, sources: number): Promise<number> {
  const lines = Array.from({ length: sources }, (_, s) => attempts(`198.18.${7 + (name.length % 5)}.${10 + s}`, T0 + s * 1000, 12, `${name}-${s}`))
  await ingestContent(name, `${name}.ndjson`, lines.join('\n'))
  return (await findOrCreateDataset(name)).id
}

async function owners(datasetId: number): Promise<(string | null)[]> {
  const page = await listFindings(parseFindingsQuery({ dataset: String(datasetId), sort: 'ipAddress.asc' }))
  return page.rows.map((r) => r.ownerEmail)
}

beforeAll(async () => {
  for (const role of ['analyst', 'other', 'lead'] as const) {
    actors[role] = { user: await createUser({ email: `${role}@bulk.example`, role: role === 'other' ? 'analyst' : role, password: `${role}-password-123` }), via: 'session' }
  }
})

describe('a bulk change to a whole view', () => {
  it('acts on the view the server resolves, refuses a view that no longer matches the confirmed number, and ids stay capped', async () => {
    const id = await dataset('view-a', 6)
    // A finding of another dataset is outside the view and stays untouched.
    const other = await dataset('view-other', 2)
    const view = `dataset=${id}&page=2&size=25`
    await expect(applyTriage({ view, expected: 5, severity: 'medium' }, actors.analyst)).rejects.toMatchObject({ status: 409 })
    expect((await listFindings(parseFindingsQuery({ dataset: String(id) }))).rows.every((r) => r.severity !== 'medium')).toBe(true)

    const result = await applyTriage({ view, expected: 6, severity: 'medium' }, actors.analyst)
    expect(result.changed).toBe(6)
    expect(result.batch).toMatch(/^[0-9a-f-]{36}$/)
    expect((await listFindings(parseFindingsQuery({ dataset: String(id) }))).rows.map((r) => r.severity)).toEqual(Array(6).fill('medium'))
    expect((await listFindings(parseFindingsQuery({ dataset: String(other) }))).rows.map((r) => r.severity)).not.toContain('medium')

    // owner=me in a view is whoever asks.
    await applyTriage({ view: `dataset=${id}&owner=me`, expected: 0, assign: actors.analyst.user.id }, actors.analyst)
    expect(await owners(id)).toEqual(Array(6).fill(null))

    await expect(applyTriage({ findingIds: Array.from({ length: MAX_BULK_FINDINGS + 1 }, (_, i) => i + 1), severity: 'medium' }, actors.analyst)).rejects.toThrow()
    await expect(applyTriage({ view, severity: 'medium' } as never, actors.analyst)).rejects.toThrow(/expected/)
    await expect(applyTriage({ view: 'status=bogus', expected: 1, severity: 'medium' }, actors.analyst)).rejects.toMatchObject({ status: 400 })
  })

  it('a lead approves every finding of the review queue view at once', async () => {
    const id = await dataset('view-review', 3)
    await applyTriage({ view: `dataset=${id}`, expected: 3, close: { classification: 'benign_positive', reason: 'scanner' } }, actors.analyst)
    await expect(approveFindings({ view: `dataset=${id}&review=pending`, expected: 3, decision: 'approve' }, actors.analyst)).rejects.toMatchObject({ status: 403 })
    expect(await approveFindings({ view: `dataset=${id}&review=pending`, expected: 3, decision: 'approve' }, actors.lead)).toEqual({ reviewed: 3 })
    expect((await listFindings(parseFindingsQuery({ dataset: String(id), review: 'approved' }))).total).toBe(3)
  })
})

describe('a view past the old cap of 5,000', () => {
  it('changes and undoes every one of 5,001 findings', { timeout: 600_000 }, async () => {
    const n = MAX_BULK_FINDINGS + 1
    // One sign-in per address, each a finding once a lead lowers the threshold to one name: cheap
    // to load. Distinct names and user agents, so no campaign links them.
    const lines = Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        '@timestamp': T0 + i * 1000,
        id: `many-${i}`,
        resultType: '50034',
        ipAddress: `100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
        userPrincipalName: `many-${i}@contoso.com`,
        clientAppUsed: 'Browser',
        userAgent: `agent-${i}`,
        appDisplayName: 'App',
      }),
    )
    await ingestContent('view-many', 'many.ndjson', lines.join('\n'))
    const id = (await findOrCreateDataset('view-many')).id
    await saveDatasetSettings(id, { lowThreshold: 1 }, actors.lead)
    expect((await listFindings(parseFindingsQuery({ dataset: String(id), size: '25' }))).total).toBe(n)

    const changed = await applyTriage({ view: `dataset=${id}`, expected: n, severity: 'medium' }, actors.analyst)
    expect(changed.changed).toBe(n)
    expect((await listFindings(parseFindingsQuery({ dataset: String(id), size: '25' }))).rows.every((r) => r.severity === 'medium')).toBe(true)
    expect(await undoTriageBatch({ batch: changed.batch! }, actors.analyst)).toEqual({ restored: n, kept: 0 })
    expect((await listFindings(parseFindingsQuery({ dataset: String(id), size: '25' }))).rows.every((r) => r.severity === 'low')).toBe(true)
  })
})

describe('undo of a bulk change', () => {
  it('restores each finding its previous owner, status and severity, audited, once, and only for whoever made it', async () => {
    const id = await dataset('undo-a', 4)
    const [first] = (await listFindings(parseFindingsQuery({ dataset: String(id), sort: 'ipAddress.asc' }))).rows
    // One finding already had an owner and an adjusted severity before the bulk change.
    await applyTriage({ findingIds: [first.id], assign: actors.other.user.id, severity: 'high' }, actors.other)

    const assigned = await applyTriage({ view: `dataset=${id}`, expected: 4, assign: actors.analyst.user.id }, actors.analyst)
    const lowered = await applyTriage({ view: `dataset=${id}`, expected: 4, severity: 'critical' }, actors.analyst)
    expect(await owners(id)).toEqual(Array(4).fill('analyst@bulk.example'))

    await expect(undoTriageBatch({ batch: lowered.batch! }, actors.other)).rejects.toMatchObject({ status: 404 })
    expect(await undoTriageBatch({ batch: lowered.batch! }, actors.analyst)).toEqual({ restored: 4, kept: 0 })
    const severities = (await listFindings(parseFindingsQuery({ dataset: String(id), sort: 'ipAddress.asc' }))).rows.map((r) => r.severity)
    // Back to the tier's (12 names: Low) for three, and to the High someone set for the first.
    expect(severities).toEqual(['high', 'low', 'low', 'low'])
    await expect(undoTriageBatch({ batch: lowered.batch! }, actors.analyst)).rejects.toMatchObject({ status: 409 })

    // A finding changed again since keeps its newer owner; the others go back, new ones to New.
    const rows = (await listFindings(parseFindingsQuery({ dataset: String(id), sort: 'ipAddress.asc' }))).rows
    await applyTriage({ findingIds: [rows[3].id], assign: actors.lead.user.id }, actors.analyst)
    expect(await undoTriageBatch({ batch: assigned.batch! }, actors.analyst)).toEqual({ restored: 3, kept: 1 })
    expect(await owners(id)).toEqual(['other@bulk.example', null, null, 'lead@bulk.example'])
    const after = await listFindings(parseFindingsQuery({ dataset: String(id), sort: 'ipAddress.asc' }))
    expect(after.rows.map((r) => r.status)).toEqual(['active', 'new', 'new', 'active'])

    const { audit } = await getFindingTriage(rows[1].id, rows[1].verdict)
    expect(audit.map((a) => a.action)).toEqual(['triage.assign', 'triage.severity', 'triage.undo', 'triage.undo'])
    expect(audit[3]).toMatchObject({
      actorLabel: 'analyst@bulk.example',
      before: { finding: rows[1].id, owner: 'analyst@bulk.example', status: 'active' },
      after: { finding: rows[1].id, owner: null, status: 'new', undoes: assigned.batch },
    })
  })
})

describe('campaigns in the review queue', () => {
  it('an analyst-closed campaign waits beside the findings, and a lead approves several at once', async () => {
    const a = await dataset('queue-a', 2)
    const b = await dataset('queue-b', 2)
    const campaigns = [...(await listCampaigns([a])), ...(await listCampaigns([b]))]
    expect(campaigns).toHaveLength(2)
    expect(await listCampaignReviewQueue({ datasetIds: [a, b], review: 'pending' })).toEqual([])

    await applyCampaignTriage({ campaignIds: campaigns.map((c) => c.id), close: { classification: 'true_positive', reason: 'one tool over a /24' } }, actors.analyst)
    const queue = await listCampaignReviewQueue({ datasetIds: [a, b], review: 'pending' })
    expect(queue.map((c) => [c.id, c.classification, c.closeReason, c.closedByEmail, c.reviewStatus])).toEqual(
      campaigns.map((c) => [c.id, 'true_positive', 'one tool over a /24', 'analyst@bulk.example', 'pending']),
    )
    expect(await listCampaignReviewQueue({ datasetIds: [a], review: 'pending' })).toHaveLength(1)
    // The view's time range: the campaigns were active on 1 April only.
    expect(await listCampaignReviewQueue({ datasetIds: [a, b], review: 'pending', from: new Date('2026-04-02T00:00:00Z') })).toEqual([])

    await expect(reviewCampaigns(campaigns.map((c) => c.id), { decision: 'approve' }, actors.analyst)).rejects.toMatchObject({ status: 403 })
    expect(await reviewCampaigns(campaigns.map((c) => c.id), { decision: 'approve' }, actors.lead)).toEqual({ reviewed: 2 })
    expect(await listCampaignReviewQueue({ datasetIds: [a, b], review: 'pending' })).toEqual([])
    expect((await listCampaignReviewQueue({ datasetIds: [a, b], review: 'approved' })).map((c) => c.id)).toEqual(campaigns.map((c) => c.id))
    // Approving again: they are not waiting any more, and nothing changes.
    await expect(reviewCampaigns([campaigns[0].id], { decision: 'approve' }, actors.lead)).rejects.toMatchObject({ status: 409 })
  })
})
