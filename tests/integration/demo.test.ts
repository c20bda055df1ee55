import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { findDataset } from '@/lib/datasets/datasets'
import { getPool, getPrisma } from '@/lib/db/database'
import { DEFAULT_DETECTION_SETTINGS, findEnumeration, findingToJson } from '@/lib/detection/enumeration'
import { defaultDemoAnchor, demoJsonLines, demoTimeRange, generateDemoSignIns, type DemoOptions } from '@/lib/demo/generate'
import type { GraphSignIn } from '@/lib/demo/graph-sign-in'
import { loadDemoDataset } from '@/lib/demo/load-demo'
import type { ImportReport } from '@/lib/ingest/pipeline'
import { DEMO_SCENARIOS, expectedDemoFindings } from '@/lib/demo/scenarios'
import { findingsJson } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'

// The demo incident (docs/demo.md) through the real pipeline into a real database: it must load
// cleanly, be reproducible, and give the reference rule exactly the findings its scenarios claim.
useTestDatabase()

// A Monday: the background's weekday/weekend mix differs from the default anchor's on most days.
const ANCHOR = new Date('2026-03-02T00:00:00.000Z')
const FIXED: DemoOptions = { anchor: ANCHOR, seed: 7 }
const RULE_CODES = [...DEFAULT_DETECTION_SETTINGS.errorCodes]
// A load is some 25,000 events; on a busy 2-core machine two of them can take most of a minute.
const LOAD_TIMEOUT_MS = 180_000

async function digest(options: DemoOptions): Promise<{ sha256: string; lines: number }> {
  const hash = createHash('sha256')
  let lines = 0
  for await (const chunk of demoJsonLines(options)) {
    hash.update(chunk)
    lines += chunk.split('\n').length - 1
  }
  return { sha256: hash.digest('hex'), lines }
}

/** The findings in the shape of the scenarios' expectations, in the rule's order. */
async function findingsOf(dataset: string) {
  return (await findingsJson(dataset)).map((f) => ({
    ipAddress: f.ipAddress,
    bucket: f.bucket,
    verdict: f.verdict,
    uniqueUsernames: f.uniqueUsernames,
    attemptCount: f.attemptCount,
  }))
}

function expectedFor(anchor: Date) {
  return expectedDemoFindings(anchor)
    .map(({ scenarioId: _id, bucket, ...rest }) => ({ ...rest, bucket: bucket.toISOString() }))
    .sort((a, b) => b.uniqueUsernames - a.uniqueUsernames || b.attemptCount - a.attemptCount || a.bucket.localeCompare(b.bucket) || a.ipAddress.localeCompare(b.ipAddress))
}

describe('demo generator', () => {
  it('is deterministic for a seed and anchor, and both change the records', async () => {
    const first = await digest(FIXED)
    const again = await digest(FIXED)
    expect(again).toEqual(first)
    expect(first.lines).toBeGreaterThanOrEqual(18_000)
    expect(first.lines).toBeLessThanOrEqual(60_000)
    expect((await digest({ ...FIXED, seed: 8 })).sha256).not.toBe(first.sha256)

    // Another day is another incident: no id may repeat, or a later load would drop its events as duplicates.
    const ids = new Set<string>()
    for (const record of generateDemoSignIns(FIXED)) ids.add(record.id)
    expect(ids.size).toBe(first.lines)
    let shared = 0
    for (const record of generateDemoSignIns({ ...FIXED, anchor: new Date('2026-03-03T00:00:00Z') })) if (ids.has(record.id)) shared++
    expect(shared).toBe(0)
  })

  it('writes Graph beta signIn objects in time order within the demo range', () => {
    const { from, to } = demoTimeRange(ANCHOR)
    const checks: [string, (r: GraphSignIn) => boolean][] = [
      ['createdDateTime', (r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{7})?Z$/.test(r.createdDateTime)],
      ['id', (r) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.id) && r.originalRequestId === r.id],
      ['userPrincipalName', (r) => /^[a-z0-9.-]+@contoso\.com$/.test(r.userPrincipalName)],
      ['ipAddress', (r) => /^(192\.0\.2\.\d+|198\.51\.100\.\d+|203\.0\.113\.\d+|198\.1[89]\.\d+\.\d+|2001:db8:[0-9a-f:]+)$/.test(r.ipAddress)],
      ['status', (r) => Number.isInteger(r.status.errorCode) && typeof r.status.failureReason === 'string'],
      ['signInEventTypes', (r) => r.signInEventTypes.length === 1 && r.signInEventTypes[0] === (r.isInteractive ? 'interactiveUser' : 'nonInteractiveUser')],
      ['location', (r) => /^[A-Z]{2}$/.test(r.location.countryOrRegion) && r.location.city !== ''],
      ['autonomousSystemNumber', (r) => r.autonomousSystemNumber >= 64496 && r.autonomousSystemNumber <= 64511],
      ['appId', (r) => /^[0-9a-f-]{36}$/.test(r.appId) && r.appDisplayName !== '' && r.resourceDisplayName !== ''],
    ]
    const failures: string[] = []
    let first: number | null = null
    let previous = 0
    let interactive = 0
    let nonInteractive = 0
    const codes = new Set<number>()
    for (const r of generateDemoSignIns(FIXED)) {
      const time = Date.parse(r.createdDateTime)
      if (time < previous) failures.push(`out of order: ${r.id}`)
      first ??= time
      previous = time
      for (const [field, ok] of checks) if (!ok(r) && failures.length < 10) failures.push(`${field}: ${JSON.stringify(r).slice(0, 200)}`)
      if (r.isInteractive) interactive++
      else nonInteractive++
      codes.add(r.status.errorCode)
    }
    expect(failures).toEqual([])
    expect(first).toBeGreaterThanOrEqual(from.getTime())
    expect(previous).toBeLessThan(to.getTime())
    expect(interactive).toBeGreaterThan(1000)
    expect(nonInteractive).toBeGreaterThan(interactive)
    for (const code of [0, 50034, 50053, 50055, 50056, 50058, 50074, 50076, 50126, 50140]) expect(codes, `code ${code}`).toContain(code)
  })

  it('refuses an anchor that is not a UTC midnight', () => {
    expect(() => generateDemoSignIns({ anchor: new Date('2026-03-02T05:00:00Z') }).next()).toThrow(/UTC midnight/)
  })

  it('describes consistent scenarios: every expected verdict follows from its user count', () => {
    const tier = (users: number) =>
      users >= DEFAULT_DETECTION_SETTINGS.highThreshold
        ? 'High Confidence Enumeration'
        : users >= DEFAULT_DETECTION_SETTINGS.moderateThreshold
          ? 'Moderate Enumeration'
          : 'Low-Level Enumeration'
    const ips = DEMO_SCENARIOS.flatMap((s) => s.sourceIps)
    expect(new Set(ips).size).toBe(ips.length)
    expect(new Set(DEMO_SCENARIOS.map((s) => s.id)).size).toBe(DEMO_SCENARIOS.length)
    for (const scenario of DEMO_SCENARIOS) {
      for (const finding of scenario.expectedFindings) {
        expect(finding.uniqueUsernames).toBeGreaterThanOrEqual(DEFAULT_DETECTION_SETTINGS.lowThreshold)
        expect(finding.verdict, scenario.id).toBe(tier(finding.uniqueUsernames))
      }
    }
    const verdicts = new Set(DEMO_SCENARIOS.flatMap((s) => s.expectedFindings.map((f) => f.verdict)))
    expect(verdicts).toEqual(new Set(['High Confidence Enumeration', 'Moderate Enumeration', 'Low-Level Enumeration']))
    expect(DEMO_SCENARIOS.filter((s) => s.nature === 'benign').every((s) => s.expectedFindings.length > 0)).toBe(true)
  })
})

describe('loading the demo', () => {
  let lines = 0
  let first: ImportReport

  beforeAll(async () => {
    lines = (await digest(FIXED)).lines
    first = await loadDemoDataset('demo-fixed', FIXED)
  }, LOAD_TIMEOUT_MS)

  it('loads as Graph sign-ins with nothing rejected or skipped, into a demo dataset', async () => {
    expect(first.status, first.error ?? '').toBe('succeeded')
    expect(first.format).toBe('graph')
    expect(first.rowsRejected).toBe(0)
    expect(first.rowsSkipped).toBe(0)
    expect(first.rowsRead).toBe(lines)
    expect(first.rowsInserted).toBe(lines)
    const { from, to } = demoTimeRange(ANCHOR)
    expect(first.minEventTime!.getTime()).toBeGreaterThanOrEqual(from.getTime())
    expect(first.maxEventTime!.getTime()).toBeLessThan(to.getTime())

    const prisma = await getPrisma()
    const dataset = await prisma.dataset.findUniqueOrThrow({ where: { name: 'demo-fixed' }, include: { importJobs: true } })
    expect(dataset.source).toBe('demo')
    expect(dataset.importJobs.map((j) => j.origin)).toEqual(['demo'])
    expect(await prisma.signInEvent.count({ where: { datasetId: dataset.id } })).toBe(lines)
  })

  it('gives the reference rule exactly the findings the scenarios expect, from the rollup and the raw events alike', async () => {
    const found = await findingsOf('demo-fixed')
    expect(found).toEqual(expectedFor(ANCHOR))

    const dataset = await findDataset('demo-fixed')
    const fromEvents = await findEnumeration({ datasetIds: [dataset!.id] }, 'events')
    expect(fromEvents.map(findingToJson)).toEqual(await findingsJson('demo-fixed'))

    for (const scenario of DEMO_SCENARIOS.filter((s) => s.expectedFindings.length === 0)) {
      expect(found.filter((f) => scenario.sourceIps.includes(f.ipAddress)), scenario.id).toEqual([])
    }
    for (const id of ['below-threshold', 'split-by-hour-boundary', 'rotating-ip-spray', 'low-and-slow', 'user-agent-rotation']) {
      expect(DEMO_SCENARIOS.find((s) => s.id === id)?.expectedFindings).toEqual([])
    }
  })

  it('really contains the activity of every scenario, including what the rule misses', async () => {
    const dataset = await findDataset('demo-fixed')
    const pool = await getPool()
    for (const scenario of DEMO_SCENARIOS) {
      const { rows } = await pool.query<{ users: number; busiest: number | null }>(
        `WITH probes AS (
             SELECT * FROM sign_in_events
             WHERE dataset_id = $1 AND host(ip_address) = ANY($2) AND error_code = ANY($3)
               AND created_at >= $4 AND created_at < $5)
         SELECT (SELECT count(DISTINCT user_principal_name) FROM probes)::int AS users,
                (SELECT max(n) FROM (SELECT count(DISTINCT user_principal_name)::int AS n FROM probes
                                     GROUP BY ip_address, client_app_used, user_agent_id, date_bin('1 hour', created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00')) g) AS busiest`,
        [
          dataset!.id,
          scenario.sourceIps,
          RULE_CODES,
          new Date(ANCHOR.getTime() + scenario.window.start * 60_000),
          new Date(ANCHOR.getTime() + scenario.window.end * 60_000),
        ],
      )
      expect(rows[0].users, scenario.id).toBe(scenario.probedUsernames)
      // The missed scenarios are missed by construction: no group of the rule reaches its threshold.
      if (scenario.expectedFindings.length === 0) expect(rows[0].busiest, scenario.id).toBeLessThan(DEFAULT_DETECTION_SETTINGS.lowThreshold)
    }
  })

  it('keeps the split burst on both sides of the hour, with the edge event truncated into the earlier hour', async () => {
    const dataset = await findDataset('demo-fixed')
    const pool = await getPool()
    const { rows } = await pool.query<{ hour: Date; users: number; last: Date }>(
      `SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS hour, count(DISTINCT user_principal_name)::int AS users, max(created_at) AS last
         FROM sign_in_events WHERE dataset_id = $1 AND host(ip_address) = '192.0.2.162' GROUP BY 1 ORDER BY 1`,
      [dataset!.id],
    )
    expect(rows.map((r) => r.users)).toEqual([8, 8])
    expect(rows[0].last.toISOString()).toBe('2026-03-02T19:59:59.999Z')
  })

  it('shows the follow-on success: the enumerating address later signs in as an account it probed', async () => {
    const dataset = await findDataset('demo-fixed')
    const pool = await getPool()
    const { rows } = await pool.query<{ error_code: string; user_principal_name: string; created_at: Date; probed_before: boolean }>(
      `SELECT e.error_code, e.user_principal_name, e.created_at,
              EXISTS (SELECT 1 FROM sign_in_events p
                       WHERE p.dataset_id = e.dataset_id AND p.ip_address = e.ip_address
                         AND p.user_principal_name = e.user_principal_name AND p.error_code = '50126'
                         AND p.created_at < e.created_at - interval '2 hours') AS probed_before
         FROM sign_in_events e
        WHERE e.dataset_id = $1 AND host(e.ip_address) = '192.0.2.99' AND e.error_code IN ('0', '50076')
        ORDER BY e.created_at`,
      [dataset!.id],
    )
    expect(rows.map((r) => r.error_code)).toEqual(['50076', '50076', '0', '0'])
    expect(rows.every((r) => r.probed_before)).toBe(true)
    expect(rows.filter((r) => r.error_code === '0').map((r) => r.user_principal_name)).toEqual(['svc-backup@contoso.com', 'svc-backup@contoso.com'])
  })

  it('shows the Entra Connect server failing then succeeding as itself, never with a probed name\'s password', async () => {
    const dataset = await findDataset('demo-fixed')
    const pool = await getPool()
    const { rows } = await pool.query<{ error_code: string; user_principal_name: string; probed: boolean }>(
      `SELECT e.error_code, e.user_principal_name,
              EXISTS (SELECT 1 FROM sign_in_events p
                       WHERE p.dataset_id = e.dataset_id AND p.ip_address = e.ip_address
                         AND p.user_principal_name = e.user_principal_name AND p.error_code = ANY($2)) AS probed
         FROM sign_in_events e
        WHERE e.dataset_id = $1 AND host(e.ip_address) = '198.51.100.20' AND NOT e.error_code = ANY($2)
        ORDER BY e.created_at`,
      [dataset!.id, RULE_CODES],
    )
    // Two successes a night (the start and the end of the run), all its own service account's.
    expect(rows.map((r) => r.error_code)).toEqual(['0', '0', '0', '0', '0', '0'])
    expect(new Set(rows.map((r) => r.user_principal_name))).toEqual(new Set(['sync-aadc01@contoso.com']))
    expect(rows.some((r) => r.probed)).toBe(false)
    // The names it probed answer codes that say nothing about a password being right.
    const probed = await pool.query<{ error_code: string; names: number }>(
      `SELECT error_code, count(DISTINCT user_principal_name)::int AS names FROM sign_in_events
        WHERE dataset_id = $1 AND host(ip_address) = '198.51.100.20' AND error_code = ANY($2) GROUP BY 1 ORDER BY 1`,
      [dataset!.id, RULE_CODES],
    )
    expect(probed.rows).toEqual([
      { error_code: '50034', names: 26 },
      { error_code: '50056', names: 4 },
    ])
  })

  it('loads with the defaults (the CLI path) and finds the same scenarios relative to the default anchor', async () => {
    const anchor = defaultDemoAnchor()
    const report = await loadDemoDataset('demo')
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report.rowsRejected).toBe(0)
    expect(report.contentSha256).toBe((await digest({ anchor })).sha256)
    expect(await findingsOf('demo')).toEqual(expectedFor(anchor))
  }, LOAD_TIMEOUT_MS)

  it('stores nothing new when loaded a second time', async () => {
    const second = await loadDemoDataset('demo-fixed', FIXED)
    expect(second.status, second.error ?? '').toBe('succeeded')
    expect(second.rowsRead).toBe(lines)
    expect(second.rowsInserted).toBe(0)
    expect(second.rowsDuplicate).toBe(lines)
    expect(second.contentSha256).toBe(first.contentSha256)
    const prisma = await getPrisma()
    const dataset = await findDataset('demo-fixed')
    expect(await prisma.signInEvent.count({ where: { datasetId: dataset!.id } })).toBe(lines)
    expect(await findingsOf('demo-fixed')).toEqual(expectedFor(ANCHOR))
  }, LOAD_TIMEOUT_MS)
})
