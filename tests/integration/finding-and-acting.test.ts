import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { getCampaign } from '@/lib/campaigns/get-campaign'
import { listCampaigns, listIpCampaigns } from '@/lib/campaigns/list-campaigns'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { getPool } from '@/lib/db/database'
import { loadDemoDataset } from '@/lib/demo/load-demo'
import { DEMO_SCENARIOS, expectedDemoFindings } from '@/lib/demo/scenarios'
import { getFinding, getFindingUsernames } from '@/lib/findings/finding-details'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { listFindings } from '@/lib/findings/list-findings'
import { getIpActivity } from '@/lib/ips/get-ip-activity'
import { getHourExplanation } from '@/lib/overview/hour-explanation'
import { addCampaignComment, applyCampaignTriage, reviewCampaign } from '@/lib/triage/triage-actions'
import { getCampaignTriage, getFindingTriage } from '@/lib/triage/triage-queries'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'
import { probeAttempts } from '../helpers/probe-attempts'

// Issue 13, "finding what you look for" and acting on campaigns: username search over every name
// a finding counted (through an index), what explains an hour of the overview, counts that say
// what they count, and campaigns triaged like findings, surviving a recomputation.
useTestDatabase()

const ANCHOR = new Date('2026-03-02T00:00:00.000Z')
const LOAD_TIMEOUT_MS = 180_000
const HOUR = 3_600_000
const spray = expectedDemoFindings(ANCHOR).find((f) => f.verdict === 'High Confidence Enumeration' && f.uniqueUsernames === 77)!
const rotating = DEMO_SCENARIOS.find((s) => s.id === 'rotating-ip-spray')!
const lowAndSlow = DEMO_SCENARIOS.find((s) => s.id === 'low-and-slow')!

let demoId = 0
const actors: Record<'analyst' | 'lead', Actor> = {} as never

beforeAll(async () => {
  await loadDemoDataset('acting-demo', { anchor: ANCHOR, seed: 7 })
  demoId = (await findOrCreateDataset('acting-demo', 'demo')).id
  for (const role of ['analyst', 'lead'] as const) {
    actors[role] = { user: await createUser({ email: `${role}@acting.example`, role, password: `${role}-password-123` }), via: 'session' }
  }
}, LOAD_TIMEOUT_MS)

async function sprayFindingId(): Promise<number> {
  const page = await listFindings(parseFindingsQuery({ q: spray.ipAddress, dataset: String(demoId) }))
  return page.rows.find((r) => r.uniqueUsernames === 77)!.id
}

describe('username search', () => {
  it('finds a finding by any name it counted, not only the 25 of its sample', async () => {
    const id = await sprayFindingId()
    const finding = (await getFinding(id))!
    const names = (await getFindingUsernames(id)).map((u) => u.userPrincipalName)
    expect(names).toHaveLength(77)
    const outside = names.filter((n) => !finding.usernameSample.includes(n))
    expect(outside.length).toBeGreaterThan(40)
    for (const name of [outside[0], outside.at(-1)!, outside[20].toUpperCase()]) {
      const page = await listFindings(parseFindingsQuery({ q: name, dataset: String(demoId) }))
      expect(page.rows.map((r) => r.id)).toContain(id)
    }
    // part of a name, any case
    const part = outside[5].split('@')[0].slice(1).toUpperCase()
    expect((await listFindings(parseFindingsQuery({ q: part, dataset: String(demoId) }))).rows.map((r) => r.id)).toContain(id)
  })

  it('reaches names of every kind of finding (low and slow), and not names the finding did not count', async () => {
    const slow = await listFindings(parseFindingsQuery({ q: lowAndSlow.sourceIps[0], mode: 'extended', dataset: String(demoId) }))
    const slowFinding = slow.rows.find((r) => r.kind === 'low_and_slow')!
    const names = (await getFindingUsernames(slowFinding.id)).map((u) => u.userPrincipalName)
    const late = names.at(-1)!
    const found = await listFindings(parseFindingsQuery({ q: late, mode: 'extended', dataset: String(demoId) }))
    expect(found.rows.map((r) => r.id)).toContain(slowFinding.id)
    // Parity mode shows the rule's hourly findings only: the low-and-slow one is not among them.
    const parity = await listFindings(parseFindingsQuery({ q: late, dataset: String(demoId) }))
    expect(parity.rows.map((r) => r.id)).not.toContain(slowFinding.id)

    // A name the spray only got 50126 for (not a rule code) is not one its finding counted.
    const pool = await getPool()
    const { rows } = await pool.query<{ user_principal_name: string }>(
      `SELECT DISTINCT user_principal_name FROM sign_in_events WHERE dataset_id = $1 AND ip_address = $2::inet AND error_code = '50126'`,
      [demoId, spray.ipAddress],
    )
    expect(rows.length).toBeGreaterThan(0)
    const sprayId = await sprayFindingId()
    const other = await listFindings(parseFindingsQuery({ q: rows[0].user_principal_name, dataset: String(demoId) }))
    expect(other.rows.map((r) => r.id)).not.toContain(sprayId)
  })

  it('looks names up through the trigram index, not by reading every row', async () => {
    const pool = await getPool()
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      // The demo is small enough that a scan is cheaper; forbid it to see that the index serves the lookup.
      await client.query('SET LOCAL enable_seqscan = off')
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT 1 FROM sign_in_hourly_rollup WHERE error_code <> '0' AND user_principal_name ILIKE '%smith%'`,
      )
      // The index of a dataset's partition of the rollup (sign_in_hourly_rollup_d<id>_…).
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/sign_in_hourly_rollup_d\d+_user_principal_name_idx/)
      await client.query('ROLLBACK')
    } finally {
      client.release()
    }
  })

  it('shorter text than the index can use still searches IPs, user agents and the sample', async () => {
    const page = await listFindings(parseFindingsQuery({ q: '45', dataset: String(demoId) }))
    expect(page.rows.some((r) => r.ipAddress === spray.ipAddress)).toBe(true)
    // Two characters of a name in the spray's sample that neither its address nor its user agent holds.
    const pool = await getPool()
    const { rows } = await pool.query<{ ip: string; user_agent: string; sample: string[] }>('SELECT host(ip_address) AS ip, user_agent, username_sample AS sample FROM findings WHERE id = $1', [await sprayFindingId()])
    const [finding] = rows
    const pair = finding.sample
      .flatMap((name) => Array.from({ length: name.length - 1 }, (_, i) => name.slice(i, i + 2)))
      .find((text) => /^[a-z]+$/.test(text) && !finding.ip.includes(text) && !finding.user_agent.toLowerCase().includes(text))!
    expect(pair).toBeDefined()
    const found = await listFindings(parseFindingsQuery({ q: pair, dataset: String(demoId), size: '250' }))
    expect(found.rows.map((r) => r.id)).toContain(await sprayFindingId())
  })

  it("finds every finding by any name of its sample, through the names it counted (the sample itself is not read then)", async () => {
    const pool = await getPool()
    const { rows } = await pool.query<{ id: number; name: string }>(
      'SELECT f.id, f.username_sample[cardinality(f.username_sample)] AS name FROM findings f WHERE f.dataset_id = $1 AND cardinality(f.username_sample) > 0',
      [demoId],
    )
    expect(rows.length).toBeGreaterThan(5)
    for (const { id, name } of rows) {
      const found = await listFindings(parseFindingsQuery({ q: name, mode: 'extended', dataset: String(demoId), size: '250' }))
      expect(found.rows.map((r) => r.id), name).toContain(id)
    }
  })
})

describe('what explains an hour', () => {
  it('an hour of many names over 40 addresses without a finding: the campaign active in it', async () => {
    const hour = new Date(ANCHOR.getTime() + rotating.window.start * 60_000)
    const explanation = await getHourExplanation([demoId], new Date(Math.floor(hour.getTime() / HOUR) * HOUR))
    expect(explanation.findings.filter((f) => f.kind === 'hourly')).toEqual([])
    expect(explanation.campaigns).toHaveLength(1)
    expect(explanation.campaigns[0].hourIps).toBeGreaterThanOrEqual(30)
    expect(explanation.campaigns[0].hourUsernames).toBeGreaterThanOrEqual(50)
    expect(explanation.sourceIps).toBeGreaterThanOrEqual(40)
  })

  it('an hour with a finding lists it; an hour nothing explains has neither, and its addresses', async () => {
    const hit = await getHourExplanation([demoId], new Date(spray.bucket))
    expect(hit.findings.map((f) => f.ipAddress)).toContain(spray.ipAddress)
    const below = DEMO_SCENARIOS.find((s) => s.id === 'below-threshold')!
    const quiet = await getHourExplanation([demoId], new Date(Math.floor((ANCHOR.getTime() + below.window.start * 60_000) / HOUR) * HOUR))
    expect(quiet.findings.filter((f) => !f.suppressed)).toEqual([])
    expect(quiet.campaigns).toEqual([])
    expect(quiet.topSources.map((s) => s.ipAddress)).toContain(below.sourceIps[0])
  })
})

describe('counts say what they count', () => {
  it('the IP page and its chart count targeted (rule codes) and probed names the same way; the yield adds up to probed', async () => {
    const activity = await getIpActivity(spray.ipAddress, [demoId])
    expect(activity.targetedUsernames).toBe(77)
    expect(activity.probedUsernames).toBe(91)
    const busiest = activity.timeline.reduce((a, b) => (b.usernames > a.usernames ? b : a))
    expect(busiest.usernames).toBe(77)
    expect(busiest.probedUsernames).toBe(91)
    const finding = (await getFinding(await sprayFindingId()))!
    expect(finding.uniqueUsernames).toBe(77)
    expect(finding.confirmedAccounts + finding.notFoundUsernames).toBe(91)
  })
})

describe('campaign triage', () => {
  it('assign, comment, close with its findings in one transaction, review; audited', async () => {
    const datasetId = await syntheticCampaign('acting-campaign')
    const [campaign] = await listCampaigns([datasetId])
    const detail = (await getCampaign(campaign.id))!
    expect(detail.findings.length).toBe(2)
    expect(campaign.triageStatus).toBe('new')

    await applyCampaignTriage({ campaignIds: [campaign.id], assign: actors.analyst.user.id }, actors.analyst)
    await addCampaignComment(campaign.id, { body: 'One tool over two addresses' }, actors.analyst)
    let listed = (await listCampaigns([datasetId]))[0]
    expect([listed.triageStatus, listed.ownerEmail]).toEqual(['active', 'analyst@acting.example'])

    const result = await applyCampaignTriage({ campaignIds: [campaign.id], close: { classification: 'true_positive', reason: 'spray from one /24' }, closeFindings: true }, actors.analyst)
    expect(result).toEqual({ changed: 1, findingsClosed: 2 })
    for (const f of detail.findings) {
      const { state, audit } = await getFindingTriage(f.id, f.verdict)
      expect([state.status, state.classification, state.reviewStatus]).toEqual(['closed', 'true_positive', 'pending'])
      expect(audit.map((a) => a.action)).toEqual(['triage.close'])
    }
    let triage = await getCampaignTriage(campaign.id, campaign.verdict, false)
    expect([triage.state.status, triage.state.reviewStatus]).toEqual(['closed', 'pending'])
    await reviewCampaign(campaign.id, { decision: 'approve', comment: '' }, actors.lead)
    triage = await getCampaignTriage(campaign.id, campaign.verdict, false)
    expect(triage.state.reviewStatus).toBe('approved')
    expect(triage.audit.map((a) => a.action)).toEqual(['triage.assign', 'triage.comment', 'triage.close', 'triage.review.approve'])
    expect(triage.audit[2].after).toMatchObject({ campaign: campaign.id, status: 'closed', classification: 'true_positive' })
    expect(triage.comments.map((c) => c.body)).toEqual(['One tool over two addresses'])
    listed = (await listCampaigns([datasetId]))[0]
    expect([listed.triageStatus, listed.reviewStatus]).toEqual(['closed', 'approved'])
  })

  it('a failed rule rolls the whole change back: nothing half-closed, no audit entry', async () => {
    const datasetId = await syntheticCampaign('acting-rollback', 30)
    const [campaign] = await listCampaigns([datasetId])
    // 60 names over its sources: a High campaign, whose false-positive closure is a lead's call.
    expect(campaign.verdict).toBe('High Confidence Enumeration')
    await expect(
      applyCampaignTriage({ campaignIds: [campaign.id], close: { classification: 'false_positive', reason: 'x' }, closeFindings: true }, actors.analyst),
    ).rejects.toMatchObject({ status: 403 })
    const triage = await getCampaignTriage(campaign.id, campaign.verdict, false)
    expect(triage.state.status).toBe('new')
    expect(triage.audit).toEqual([])
  })

  it('triage follows a campaign found again under a new key (an earlier source joined)', async () => {
    const name = 'acting-rekey'
    const datasetId = await syntheticCampaign(name)
    const [before] = await listCampaigns([datasetId])
    await applyCampaignTriage({ campaignIds: [before.id], assign: actors.analyst.user.id }, actors.analyst)
    // An earlier source of the same tool from the same /24: the campaign's earliest source changes.
    await ingestContent(name, 'earlier.ndjson', attempts('192.0.2.212', T0 - 50 * 60_000, 12, 'early'))
    const [after] = await listCampaigns([datasetId])
    expect(after.sourceCount).toBe(3)
    expect(after.id).not.toBe(before.id)
    expect([after.triageStatus, after.ownerEmail]).toEqual(['active', 'analyst@acting.example'])
    const triage = await getCampaignTriage(after.id, after.verdict, false)
    expect(triage.audit.map((a) => a.action)).toEqual(['triage.assign', 'triage.campaign-moved'])
    expect(triage.audit[1].after).toMatchObject({ campaign: after.id })
    // and a member IP names it
    expect((await listIpCampaigns('192.0.2.212', [datasetId])).map((c) => [c.id, c.triageStatus])).toEqual([[after.id, 'active']])
  })
})

const T0 = Date.parse('2026-03-10T08:05:00Z')
const attempts = (ip: string, start: number, count: number, prefix: string): string =>
  probeAttempts(ip, start, count, prefix, { stepMs: 40_000, idPrefix: 'acting' }).join('\n')

/** Two addresses of one /24 with one tool, each a finding of its own: one campaign with two findings. */
async function syntheticCampaign(name: string, perSource = 12): Promise<number> {
  await ingestContent(name, `${name}.ndjson`, [attempts('192.0.2.210', T0, perSource, `${name}-a`), attempts('192.0.2.211', T0 + 60_000, perSource, `${name}-b`)].join('\n'))
  return (await findOrCreateDataset(name)).id
}
