import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { listCampaigns } from '@/lib/campaigns/list-campaigns'
import { findDataset } from '@/lib/datasets/datasets'
import { getPool } from '@/lib/db/database'
import { loadDemoDataset } from '@/lib/demo/load-demo'
import { DEMO_SCENARIOS, type DemoScenario } from '@/lib/demo/scenarios'
import { minutesAfter } from '@/lib/demo/timeline'
import { listFindings } from '@/lib/findings/list-findings'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { createSuppression, SUPPRESSION_TEMPLATES } from '@/lib/tuning/suppressions'
import { repoRoot } from '../helpers/paths'
import { useTestDatabase } from '../helpers/test-database'

// The proof that the product sees what the reference rule misses: every labelled demo scenario
// (lib/demo, generated and deterministic) through the real pipeline, then what parity mode
// reports for its addresses next to what the extended detection reports, both asserted against
// the literals written in the scenario (its expectedFindings and its `extended` outcome).
useTestDatabase()

const ANCHOR = new Date('2026-03-02T00:00:00.000Z')
const LOAD_TIMEOUT_MS = 180_000

interface StoredFinding {
  id: number
  kind: string
  ip: string
  bucket: Date
  window_minutes: number
  verdict: string
  unique_usernames: number
  attempt_count: number
  not_found_usernames: number
  confirmed_accounts: number
  escalated: boolean
  suppressed_by_id: number | null
  escalation_codes: string[]
}

let datasetId: number
let findings: StoredFinding[]
let lead: Actor

async function storedFindings(): Promise<StoredFinding[]> {
  const pool = await getPool()
  const { rows } = await pool.query<StoredFinding>(
    `SELECT f.id, f.kind, host(f.ip_address) AS ip, f.bucket, f.window_minutes, f.verdict, f.unique_usernames, f.attempt_count,
            f.not_found_usernames, f.confirmed_accounts, f.escalated, f.suppressed_by_id,
            coalesce((SELECT array_agg(DISTINCT fe.error_code ORDER BY fe.error_code) FROM finding_escalations fe WHERE fe.finding_id = f.id), '{}') AS escalation_codes
       FROM findings f WHERE f.dataset_id = $1 ORDER BY f.bucket, f.ip_address`,
    [datasetId],
  )
  return rows
}

const of = (scenario: DemoScenario, kinds?: string[]) =>
  findings.filter((f) => scenario.sourceIps.includes(f.ip) && (!kinds || kinds.includes(f.kind)))

beforeAll(async () => {
  const report = await loadDemoDataset('proof', { anchor: ANCHOR })
  expect(report.status).toBe('succeeded')
  datasetId = (await findDataset('proof'))!.id
  findings = await storedFindings()
  lead = { user: await createUser({ email: 'lead@example.com', role: 'lead', password: 'lead-password-123' }), via: 'session' }
}, LOAD_TIMEOUT_MS)

describe('the labelled scenario suite', () => {
  it('covers every case the product must prove', () => {
    const ids = DEMO_SCENARIOS.map((s) => s.id)
    for (const id of [
      'split-by-hour-boundary',
      'rotating-ip-spray',
      'user-agent-rotation',
      'low-and-slow',
      'enumeration-then-success',
      'entra-connect-sync',
      'authorised-pen-test',
      'access-review-sweep',
    ])
      expect(ids).toContain(id)
    expect(DEMO_SCENARIOS.find((s) => s.id === 'rotating-ip-spray')!.sourceIps).toHaveLength(40)
  })

  for (const scenario of DEMO_SCENARIOS) {
    describe(scenario.id, () => {
      it('parity mode finds exactly what the reference rule does', () => {
        const parity = of(scenario, ['hourly']).map((f) => ({ start: f.bucket.getTime(), verdict: f.verdict, uniqueUsernames: f.unique_usernames, attemptCount: f.attempt_count }))
        expect(parity).toEqual(
          scenario.expectedFindings.map((e) => ({ start: minutesAfter(ANCHOR.getTime(), e.hour * 60), verdict: e.verdict, uniqueUsernames: e.uniqueUsernames, attemptCount: e.attemptCount })),
        )
      })

      it('the extended detection reports its findings, yield and escalations', () => {
        const extended = of(scenario).map((f) => ({
          kind: f.kind,
          // A sliding window starts at an attempt; the scenario gives the minute.
          start: Math.floor(f.bucket.getTime() / 60_000) * 60_000,
          windowMinutes: f.window_minutes,
          verdict: f.verdict,
          uniqueUsernames: f.unique_usernames,
          notFound: f.not_found_usernames,
          confirmed: f.confirmed_accounts,
          escalated: f.escalated,
        }))
        expect(extended).toEqual(scenario.extended.findings.map((e) => ({ ...e, start: minutesAfter(ANCHOR.getTime(), e.start) })))
        const codes = [...new Set(of(scenario).flatMap((f) => f.escalation_codes))].sort()
        expect(codes).toEqual([...scenario.extended.escalationCodes])
        for (const f of of(scenario)) expect(f.escalated).toBe(f.escalation_codes.length > 0)
      })

      it('the extended detection groups it into a campaign only when one finding per address cannot show it', async () => {
        const campaigns = (await listCampaigns([datasetId])).filter((c) => c.firstSeen && c.ipCount > 0)
        const pool = await getPool()
        const { rows } = await pool.query<{ campaign_id: number }>(
          'SELECT DISTINCT cs.campaign_id FROM campaign_sources cs JOIN campaigns c ON c.id = cs.campaign_id WHERE c.dataset_id = $1 AND host(cs.ip_address) = ANY($2)',
          [datasetId, scenario.sourceIps],
        )
        const mine = campaigns.filter((c) => rows.some((r) => r.campaign_id === c.id))
        if (!scenario.extended.campaign) {
          expect(mine).toEqual([])
          return
        }
        expect(mine).toHaveLength(1)
        const [campaign] = mine
        expect({
          ips: campaign.ipCount,
          userAgents: campaign.userAgentCount,
          uniqueUsernames: campaign.uniqueUsernames,
          verdict: campaign.verdict,
          reasons: [...campaign.reasons].sort(),
        }).toEqual({ ...scenario.extended.campaign, reasons: [...scenario.extended.campaign.reasons].sort() })
      })
    })
  }

  it('no finding or campaign appears outside the scenarios: the background stays quiet', async () => {
    const scenarioIps = new Set(DEMO_SCENARIOS.flatMap((s) => s.sourceIps))
    expect(findings.filter((f) => !scenarioIps.has(f.ip)).map((f) => `${f.kind} ${f.ip}`)).toEqual([])
    const expectedCampaigns = DEMO_SCENARIOS.filter((s) => s.extended.campaign).length
    expect(await listCampaigns([datasetId])).toHaveLength(expectedCampaigns)
  })
})

describe('suppressing the three known false positives from the seeded templates', () => {
  const benign = DEMO_SCENARIOS.filter((s) => s.extended.suppression)

  beforeAll(async () => {
    for (const scenario of benign) {
      const rule = scenario.extended.suppression!
      const template = SUPPRESSION_TEMPLATES.find((t) => t.id === rule.template)
      expect(template, rule.template).toBeDefined()
      await createSuppression(
        {
          ...template!.fields,
          name: `${template!.fields.name} (${scenario.id})`,
          datasetId: null,
          cidr: rule.cidr,
          appName: rule.appName ?? null,
          reason: rule.reason,
          template: rule.template,
          expiresAt: rule.template === 'pen-test' ? new Date(Date.now() + 7 * 86_400_000).toISOString() : null,
          // Said only where a finding it hides is escalated (the pen test, the sweep): the Entra
          // Connect server proves no probed password right, so its rule saves without it.
          hideCritical: scenario.extended.findings.some((f) => f.escalated),
        },
        lead,
      )
    }
    findings = await storedFindings()
  })

  it('are exactly the benign scenarios, and the rules suppress all their findings and nothing else', () => {
    expect(benign.map((s) => s.id).sort()).toEqual(DEMO_SCENARIOS.filter((s) => s.nature === 'benign').map((s) => s.id).sort())
    const benignIps = new Set(benign.flatMap((s) => s.sourceIps))
    for (const f of findings) expect(f.suppressed_by_id !== null, `${f.kind} ${f.ip}`).toBe(benignIps.has(f.ip))
  })

  it('hides them from the default findings view and shows them under the filter', async () => {
    const query = (extra: string) => parseFindingsQuery(new URLSearchParams(`mode=extended&size=250${extra}`))
    const shown = await listFindings(query(''))
    const suppressed = await listFindings(query('&suppressed=only'))
    const benignIps = new Set(benign.flatMap((s) => s.sourceIps))
    expect(shown.rows.some((r) => benignIps.has(r.ipAddress))).toBe(false)
    expect(suppressed.rows.map((r) => r.ipAddress).sort()).toEqual(findings.filter((f) => benignIps.has(f.ip)).map((f) => f.ip).sort())
    expect(suppressed.rows.every((r) => r.suppressedByName !== null)).toBe(true)
    expect(shown.total + suppressed.total).toBe(findings.length)
  })

  it('every attack still reports in extended mode; parity mode keeps the rule\'s hourly findings only', async () => {
    const extended = await listFindings(parseFindingsQuery(new URLSearchParams('mode=extended&size=250&suppressed=show')))
    const parity = await listFindings(parseFindingsQuery(new URLSearchParams('size=250&suppressed=show')))
    expect(parity.rows.every((r) => r.kind === 'hourly')).toBe(true)
    expect(parity.total).toBe(DEMO_SCENARIOS.reduce((n, s) => n + s.expectedFindings.length, 0))
    expect(extended.total).toBe(DEMO_SCENARIOS.reduce((n, s) => n + s.extended.findings.length, 0))
  })
})

describe('docs/detection.md', () => {
  it('has the proof table a lead can read, one row per scenario', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/detection.md'), 'utf8')
    const table = doc.slice(doc.indexOf('## Proof'))
    expect(table.length).toBeGreaterThan(100)
    for (const scenario of DEMO_SCENARIOS) expect(table, scenario.id).toContain(`\`${scenario.id}\``)
  })
})
