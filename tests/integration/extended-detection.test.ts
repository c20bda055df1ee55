import type { PoolClient } from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { applyTriage } from '@/lib/triage/triage-actions'
import { getFindingTriage } from '@/lib/triage/triage-queries'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { lockDataset } from '@/lib/datasets/dataset-lock'
import { getPool } from '@/lib/db/database'
import { listFindings } from '@/lib/findings/list-findings'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { confirmedAccounts, confirmedAccountsCsv, ipConfirmedAccounts } from '@/lib/remediation/confirmed-accounts'
import { datasetSettings, saveDatasetSettings } from '@/lib/tuning/dataset-settings'
import { createSuppression, deleteSuppression, listSuppressions, updateSuppression } from '@/lib/tuning/suppressions'
import { whatIf } from '@/lib/tuning/what-if'
import { sqlFile } from '@/lib/sql-file'
import { graphRecord, ndjson, query, run } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// Each extension of the rule on small hand-built logs whose right answer can be counted by hand:
// sliding peaks over split hours, yield, escalation by IP / network / horizon, low and slow,
// suppressions (criteria, expiry, audit) and per-dataset settings with their what-if.
useTestDatabase()

const DATASET = 'extended'
const T0 = Date.parse('2026-03-02T00:00:00Z')
let seq = 0

/** One sign-in at `minutes` after T0. */
function at(minutes: number, upn: string, ip: string, code: number, extra: Record<string, unknown> = {}) {
  return graphRecord(seq, {
    id: `ext-${String(seq++).padStart(6, '0')}`,
    createdDateTime: new Date(T0 + minutes * 60_000).toISOString(),
    userPrincipalName: upn,
    ipAddress: ip,
    status: { errorCode: code },
    ...extra,
  })
}

/** `count` names from `ip`, one a minute from `start`: `name(i)` with code `code(i)`. */
function burst(ip: string, start: number, count: number, name: (i: number) => string, code: (i: number) => number = () => 50034, extra: Record<string, unknown> = {}) {
  return Array.from({ length: count }, (_, i) => at(start + i, name(i), ip, code(i), extra))
}

const records = [
  // A: 12 names at 10:40–10:51 and 12 at 11:00–11:11 — Low + Low by the clock, 24 (Moderate) in 60 minutes.
  ...burst('198.18.0.1', 10 * 60 + 40, 12, (i) => `a${i}@contoso.com`),
  ...burst('198.18.0.1', 11 * 60, 12, (i) => `a${i + 12}@contoso.com`),
  // B: 12 names, two of them real (50056 for alice, 50126 for bob) …
  ...burst('198.18.1.5', 12 * 60, 12, (i) => (i === 0 ? 'alice@contoso.com' : i === 1 ? 'bob@contoso.com' : `b${i}@contoso.com`), (i) => (i === 0 ? 50056 : i === 1 ? 50126 : 50034)),
  // … then alice signs in from a neighbour in the same /24 two hours later, a gateway of the
  // same pool (it mostly fails: three more probes) …
  ...burst('198.18.1.77', 13 * 60 + 50, 3, (i) => `x${i}@contoso.com`),
  at(14 * 60, 'alice@contoso.com', '198.18.1.77', 0),
  // … bob signs in at the office next door, where everyone signs in: not the attacker's address …
  ...['bob', 'erin', 'frank', 'grace'].map((name, i) => at(14 * 60 + 30 + i, `${name}@contoso.com`, '198.18.1.200', 0)),
  // … and bob's password proves right from the probing address nine days later.
  at(9 * 24 * 60, 'bob@contoso.com', '198.18.1.5', 50076),
  // … and a right password for carol, whom B never probed: no escalation.
  at(14 * 60 + 5, 'carol@contoso.com', '198.18.1.5', 0),
  // C: 10 service accounts from a governance tool; D: the same tool on 9 service accounts and 1 person.
  ...burst('198.18.2.9', 15 * 60, 10, (i) => `svc-${i}@contoso.com`, () => 50034, { userAgent: 'GovernanceBot/2.1' }),
  ...burst('198.18.2.10', 15 * 60, 10, (i) => (i === 9 ? 'dave@contoso.com' : `svc-${i}@contoso.com`), () => 50034, { userAgent: 'GovernanceBot/2.1' }),
  // E: low and slow — 2 names an hour for 24 hours from 17:00: 48 names, never 10 in an hour.
  ...Array.from({ length: 48 }, (_, i) => at(17 * 60 + Math.floor(i / 2) * 60 + (i % 2) * 20, `e${i}@contoso.com`, '198.18.3.3', 50034)),
  // H: a burst of 12 names on day 2 at 06:00, then 2 names an hour for 18 hours: the burst is
  // an hourly finding, and the 48 names of the day are a slow campaign the burst must not hide.
  ...burst('198.18.7.7', 30 * 60, 12, (i) => `h${i}@contoso.com`),
  ...Array.from({ length: 36 }, (_, i) => at(31 * 60 + Math.floor(i / 2) * 60 + (i % 2) * 20, `h${i + 12}@contoso.com`, '198.18.7.7', 50034)),
  // I: a burst of 25 names on day 3 and 2 more later that day: the day adds nothing to the burst.
  ...burst('198.18.8.8', 54 * 60, 25, (i) => `i${i}@contoso.com`),
  ...[0, 1].map((i) => at(58 * 60 + i * 30, `i${i + 25}@contoso.com`, '198.18.8.8', 50034)),
  // J: on day 5, 24 names slowly from 00:00 to 11:30, then 12 other names at 12:00 and the same
  // 12 again at 13:00: two hourly findings hold 12 of the day's 36 names, not half of them.
  ...Array.from({ length: 24 }, (_, i) => at(4 * 24 * 60 + i * 30, `j${i}@contoso.com`, '198.18.10.10', 50034)),
  ...[12, 13].flatMap((hour) => burst('198.18.10.10', 4 * 24 * 60 + hour * 60, 12, (i) => `j-burst${i}@contoso.com`)),
  // G: 6 users retried every minute from 20:30 and 6 others from 21:00, 30 attempts each: 6 names
  // in either clock hour, 12 in the hour from 20:30.
  ...Array.from({ length: 360 }, (_, i) => at((i < 180 ? 20 * 60 + 30 : 21 * 60) + (i % 30), `g${Math.floor(i / 30)}@contoso.com`, '198.18.6.6', 50034)),
  // F: an office: 30 people mistype their password over the same day, and sign in 90 times.
  ...Array.from({ length: 30 }, (_, i) => at(17 * 60 + i * 40, `staff${i}@contoso.com`, '198.18.5.5', 50056)),
  ...Array.from({ length: 90 }, (_, i) => at(17 * 60 + i * 13, `staff${i % 30}@contoso.com`, '198.18.5.5', 0)),
]

let datasetId: number
let lead: Actor

interface Stored {
  id: number
  kind: string
  ip: string
  bucket: Date
  verdict: string
  unique_usernames: number
  sliding_peak_usernames: number | null
  sliding_verdict: string | null
  not_found_usernames: number
  confirmed_accounts: number
  escalated: boolean
  suppressed_by_id: number | null
}

const stored = () =>
  query<Stored & Record<string, unknown>>(
    `SELECT id, kind, host(ip_address) AS ip, bucket, verdict, unique_usernames, sliding_peak_usernames, sliding_verdict,
            not_found_usernames, confirmed_accounts, escalated, suppressed_by_id
       FROM findings WHERE dataset_id = $1 ORDER BY bucket, ip_address, kind`,
    [datasetId],
  )

/** Returns once another session waits for an advisory lock (the dataset lock `client` holds). */
async function waitForLockWaiter(client: PoolClient): Promise<void> {
  const waiting = async () => (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0].n
  for (let tries = 0; (await waiting()) === 0; tries++) {
    if (tries > 500) throw new Error('the rule change never waited for the dataset lock')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

beforeAll(async () => {
  datasetId = (await findOrCreateDataset(DATASET)).id
  const report = await run(DATASET, 'extended.json', ndjson(records))
  expect(report.rowsRejected).toBe(0)
  lead = { user: await createUser({ email: 'lead@example.com', role: 'lead', password: 'lead-password-123' }), via: 'session' }
})

describe('sliding windows', () => {
  it('lay the true peak over findings that the clock split, with the higher tier', async () => {
    const a = (await stored()).filter((f) => f.ip === '198.18.0.1')
    expect(a.map((f) => [f.kind, f.bucket.toISOString(), f.unique_usernames, f.verdict, f.sliding_peak_usernames, f.sliding_verdict])).toEqual([
      ['hourly', '2026-03-02T10:00:00.000Z', 12, 'Low-Level Enumeration', 24, 'Moderate Enumeration'],
      ['hourly', '2026-03-02T11:00:00.000Z', 12, 'Low-Level Enumeration', 24, 'Moderate Enumeration'],
    ])
    const page = await listFindings(parseFindingsQuery(new URLSearchParams('q=198.18.0.1')))
    expect(page.rows.map((r) => [r.slidingPeakUsernames, r.slidingVerdict])).toEqual([
      [24, 'Moderate Enumeration'],
      [24, 'Moderate Enumeration'],
    ])
  })

  it('become findings of their own where no clock hour reaches the threshold, however often each name is retried', async () => {
    const g = (await stored()).filter((f) => f.ip === '198.18.6.6')
    expect(g.map((f) => [f.kind, f.bucket.toISOString(), f.unique_usernames, f.verdict])).toEqual([['sliding', '2026-03-02T20:30:00.000Z', 12, 'Low-Level Enumeration']])
    const [row] = await query<{ attempt_count: number }>('SELECT attempt_count FROM findings WHERE id = $1', [g[0].id])
    expect(row.attempt_count).toBe(360)
  })

  it('follow the configured window length', async () => {
    // With a 15-minute window the peak is the 12 names of one half: no higher tier than the
    // hour's. Only the 10:00 hour, whose reach includes 11:00, is worth windowing at all.
    await saveDatasetSettings(datasetId, { ...(await datasetSettings(datasetId)), slidingWindowMinutes: 15 }, lead)
    const a = (await stored()).filter((f) => f.ip === '198.18.0.1')
    expect(a.map((f) => [f.sliding_peak_usernames, f.sliding_verdict])).toEqual([
      [12, 'Low-Level Enumeration'],
      [null, null],
    ])
    await saveDatasetSettings(datasetId, { ...(await datasetSettings(datasetId)), slidingWindowMinutes: 60 }, lead)
  })
})

describe('enumeration yield', () => {
  it('counts names not found and accounts confirmed, and lists the confirmed ones for remediation', async () => {
    const [b] = (await stored()).filter((f) => f.ip === '198.18.1.5')
    // The rule's codes: 10 × 50034 and alice's 50056 (bob's 50126 is not one of them).
    expect([b.unique_usernames, b.not_found_usernames, b.confirmed_accounts]).toEqual([11, 10, 2])
    const accounts = await confirmedAccounts({ findingId: b.id })
    expect(accounts.map((a) => [a.userPrincipalName, a.errorCodes])).toEqual([
      ['alice@contoso.com', ['50056']],
      ['bob@contoso.com', ['50126']],
    ])
    expect(confirmedAccountsCsv(accounts).split('\r\n')[0]).toBe('username,error_codes,attempts,first_probed_utc,last_probed_utc,source_ips,finding_ids')
    const byIp = await ipConfirmedAccounts('198.18.1.5', [datasetId])
    expect(byIp.map((a) => a.userPrincipalName)).toEqual(['alice@contoso.com', 'bob@contoso.com'])
    expect(byIp[0].findingIds).toEqual([b.id])
    const dataset = await confirmedAccounts({ datasetId })
    expect(dataset.map((a) => a.userPrincipalName)).toEqual(['alice@contoso.com', 'bob@contoso.com'])
  })
})

describe('"the password was right" escalation', () => {
  const escalations = (findingId: number) =>
    query<{ user_principal_name: string; error_code: string; relation: string; ip: string }>(
      'SELECT user_principal_name, error_code, relation, host(ip_address) AS ip FROM finding_escalations WHERE finding_id = $1 ORDER BY user_principal_name',
      [findingId],
    )

  it('escalates on a probed account signing in from the same /24 within the horizon, not on others', async () => {
    const [b] = (await stored()).filter((f) => f.ip === '198.18.1.5')
    expect(b.escalated).toBe(true)
    // bob's office sign-in is no attacker's; his 50076 is nine days later, outside the default
    // 7-day horizon. carol was never probed.
    expect(await escalations(b.id)).toEqual([{ user_principal_name: 'alice@contoso.com', error_code: '0', relation: 'same /24', ip: '198.18.1.77' }])
    expect((await stored()).filter((f) => f.escalated).map((f) => f.ip)).toEqual(['198.18.1.5'])
    const page = await listFindings(parseFindingsQuery(new URLSearchParams('q=198.18.1.5')))
    expect(page.rows[0]).toMatchObject({ escalated: true, severity: 'critical' })
    // A filter finds them, closed or not: an escalation after a close needs a second look.
    const escalatedOnly = await listFindings(parseFindingsQuery(new URLSearchParams('escalated=only&mode=extended')))
    expect(escalatedOnly.rows.map((r) => r.ipAddress)).toEqual(['198.18.1.5'])
  })

  it('makes the finding critical even after an analyst lowered its severity', async () => {
    const [b] = (await stored()).filter((f) => f.ip === '198.18.1.5')
    await applyTriage({ findingIds: [b.id], severity: 'low' }, lead)
    expect((await listFindings(parseFindingsQuery(new URLSearchParams('q=198.18.1.5')))).rows[0].severity).toBe('critical')
    const { state } = await getFindingTriage(b.id, 'Low-Level Enumeration', true)
    expect(state).toMatchObject({ severity: 'critical', severityAdjusted: true, severitySource: 'escalation' })
    // Without the escalation the adjustment holds.
    expect((await getFindingTriage(b.id, 'Low-Level Enumeration', false)).state).toMatchObject({ severity: 'low', severitySource: 'adjusted' })
    await applyTriage({ findingIds: [b.id], severity: null }, lead)
  })

  it('needs a lead to close the finding as false positive, as a High Confidence one would', async () => {
    const [b] = (await stored()).filter((f) => f.ip === '198.18.1.5')
    expect(b.verdict).toBe('Low-Level Enumeration')
    const analyst: Actor = { user: await createUser({ email: 'analyst@example.com', role: 'analyst', password: 'analyst-password-123' }), via: 'session' }
    await expect(applyTriage({ findingIds: [b.id], close: { classification: 'false_positive', reason: 'looks like a scanner' } }, analyst)).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/High Confidence and Critical findings \(\d+\) can only be closed as false positive by a lead/),
    })
    expect((await getFindingTriage(b.id, 'Low-Level Enumeration', true)).state.status).not.toBe('closed')
  })

  it('widens with the horizon setting', async () => {
    await saveDatasetSettings(datasetId, { ...(await datasetSettings(datasetId)), escalationHorizonDays: 10 }, lead)
    const [b] = (await stored()).filter((f) => f.ip === '198.18.1.5')
    expect((await escalations(b.id)).map((e) => [e.user_principal_name, e.error_code, e.relation])).toEqual([
      ['alice@contoso.com', '0', 'same /24'],
      ['bob@contoso.com', '50076', 'same IP'],
    ])
    await saveDatasetSettings(datasetId, { ...(await datasetSettings(datasetId)), escalationHorizonDays: 7 }, lead)
  })
})

describe('low and slow', () => {
  it('reports a source that never reaches the hourly threshold, over its long window', async () => {
    const e = (await stored()).filter((f) => f.ip === '198.18.3.3')
    expect(e.map((f) => [f.kind, f.unique_usernames, f.verdict])).toEqual([['low_and_slow', 48, 'Low-Level Enumeration']])
    // Extended mode shows it; parity mode (the default) keeps to the rule's hourly findings.
    expect((await listFindings(parseFindingsQuery(new URLSearchParams('q=198.18.3.3')))).total).toBe(0)
    expect((await listFindings(parseFindingsQuery(new URLSearchParams('q=198.18.3.3&mode=extended')))).rows.map((r) => r.kind)).toEqual(['low_and_slow'])
  })

  it('is not hidden by a burst inside the window, unless the burst holds most of its names', async () => {
    const byIp = (ip: string) => stored().then((all) => all.filter((f) => f.ip === ip).map((f) => [f.kind, f.bucket.toISOString(), f.unique_usernames, f.verdict]))
    expect(await byIp('198.18.7.7')).toEqual([
      ['hourly', '2026-03-03T06:00:00.000Z', 12, 'Low-Level Enumeration'],
      ['low_and_slow', '2026-03-03T06:00:00.000Z', 48, 'Low-Level Enumeration'],
    ])
    expect(await byIp('198.18.8.8')).toEqual([['hourly', '2026-03-04T06:00:00.000Z', 25, 'Moderate Enumeration']])
    // The same burst names twice count once against the window.
    expect(await byIp('198.18.10.10')).toEqual([
      ['low_and_slow', '2026-03-06T00:00:00.000Z', 36, 'Low-Level Enumeration'],
      ['hourly', '2026-03-06T12:00:00.000Z', 12, 'Low-Level Enumeration'],
      ['hourly', '2026-03-06T13:00:00.000Z', 12, 'Low-Level Enumeration'],
    ])
  })

  it('leaves out a busy address that collects the typos of a day: its sign-ins mostly succeed', async () => {
    expect((await stored()).filter((f) => f.ip === '198.18.5.5')).toEqual([])
  })

  it('uses its own tiers', async () => {
    await saveDatasetSettings(datasetId, { ...(await datasetSettings(datasetId)), lowAndSlowModerateThreshold: 40 }, lead)
    expect((await stored()).filter((f) => f.ip === '198.18.3.3').map((f) => f.verdict)).toEqual(['Moderate Enumeration'])
    await saveDatasetSettings(datasetId, { ...(await datasetSettings(datasetId)), lowAndSlowModerateThreshold: 50 }, lead)
  })
})

describe('suppression rules', () => {
  const suppressed = async () => (await stored()).filter((f) => f.suppressed_by_id !== null).map((f) => f.ip)

  it('match only when every username fits the UPN pattern, and are audited', async () => {
    const rule = await createSuppression(
      { name: 'Governance tool', upnPattern: 'SVC-*@contoso.com', userAgentPattern: 'GovernanceBot/*', reason: 'Access review sweeps service accounts' },
      lead,
    )
    // 198.18.2.10 also tried dave@, who is not a service account: the sweep cannot explain it.
    expect(await suppressed()).toEqual(['198.18.2.9'])
    expect(rule.suppressedFindings).toBe(1)
    expect(rule.ownerEmail).toBe('lead@example.com')

    await updateSuppression(rule.id, { ...rule, userAgentPattern: 'OtherBot/*', datasetId: null, expiresAt: null }, lead)
    expect(await suppressed()).toEqual([])
    await deleteSuppression(rule.id, lead)
    const audit = await query<{ action: string; before: unknown; after: unknown }>("SELECT action, before, after FROM audit_events WHERE entity_type = 'suppression' ORDER BY id")
    expect(audit.map((a) => [a.action, a.before === null, a.after === null])).toEqual([
      ['suppression.create', true, false],
      ['suppression.update', false, false],
      ['suppression.delete', false, true],
    ])
  })

  it('cover what ended by their expiry, and can be limited to a dataset', async () => {
    const other = await findOrCreateDataset('another')
    // The engagement ended at 11:30 on the logs' clock: A's two hours (10:40–10:51, 11:00–11:11)
    // ended before it and stay covered long after the wall clock passed the expiry; everything
    // from 12:00 on is not.
    const expired = await createSuppression({ name: 'Old pen test', cidr: '198.18.0.0/16', reason: 'engagement over', expiresAt: '2026-03-02T11:30:00.000Z' }, lead)
    expect(await suppressed()).toEqual(['198.18.0.1', '198.18.0.1'])
    expect((await listSuppressions()).find((r) => r.id === expired.id)).toMatchObject({ expired: true, suppressedFindings: 2 })
    // Ending at 11:05, the 11:00 hour began inside the engagement but goes on past it: reported.
    await updateSuppression(expired.id, { ...expired, expiresAt: '2026-03-02T11:05:00.000Z' }, lead)
    expect(await suppressed()).toEqual(['198.18.0.1'])
    expect((await stored()).find((f) => f.suppressed_by_id !== null)?.bucket.toISOString()).toBe('2026-03-02T10:00:00.000Z')
    await deleteSuppression(expired.id, lead)
    expect(await suppressed()).toEqual([])
    const elsewhere = await createSuppression({ name: 'Other dataset only', cidr: '198.18.0.0/16', reason: 'not this one', datasetId: other.id }, lead)
    expect(await suppressed()).toEqual([])
    const here = await createSuppression({ name: 'This dataset', cidr: '198.18.3.0/24', reason: 'lab scanner', datasetId }, lead)
    expect(await suppressed()).toEqual(['198.18.3.3'])
    for (const r of [elsewhere, here]) await deleteSuppression(r.id, lead)
    expect(await suppressed()).toEqual([])
  })

  it('wait for a recomputation of the same dataset to commit, so neither undoes the other', async () => {
    const client = await (await getPool()).connect()
    try {
      // A recompute (or an import) holding the dataset: it has not committed yet.
      await client.query('BEGIN')
      await lockDataset(client, datasetId)
      const saving = createSuppression({ name: 'Lab scanner', cidr: '198.18.3.0/24', reason: 'lab', datasetId }, lead)
      await waitForLockWaiter(client)
      await client.query('COMMIT')
      const rule = await saving
      expect(await suppressed()).toEqual(['198.18.3.3'])
      await deleteSuppression(rule.id, lead)
    } finally {
      client.release()
    }
  })

  it('are deleted after an import holding the dataset, without making the import fail', async () => {
    const rule = await createSuppression({ name: 'Lab scanner', cidr: '198.18.3.0/24', reason: 'lab', datasetId }, lead)
    expect(await suppressed()).toEqual(['198.18.3.3'])
    const client = await (await getPool()).connect()
    try {
      await client.query('BEGIN')
      await lockDataset(client, datasetId)
      const deleting = deleteSuppression(rule.id, lead)
      await waitForLockWaiter(client)
      // The import now rewrites the findings. Had the delete already cleared their
      // suppressed_by_id (holding those rows) before waiting, this would deadlock and PostgreSQL
      // would abort the import.
      await client.query(sqlFile('findings/sql/apply-suppressions.sql'), [datasetId, null])
      await client.query('COMMIT')
      await deleting
    } finally {
      client.release()
    }
    expect(await suppressed()).toEqual([])
  })

  it('are refused with 409 while a dataset they touch stays busy, and nothing is saved', async () => {
    const client = await (await getPool()).connect()
    try {
      await client.query('BEGIN')
      await lockDataset(client, datasetId)
      await expect(createSuppression({ name: 'Too soon', cidr: '198.18.3.0/24', reason: 'lab', datasetId }, lead)).rejects.toMatchObject({
        status: 409,
        message: expect.stringMatching(/“extended” is being imported or recomputed; the rule was not saved/),
      })
      await client.query('COMMIT')
    } finally {
      client.release()
    }
    expect((await listSuppressions()).map((r) => r.name)).not.toContain('Too soon')
  }, 40_000)

  it('refuse rules without a criterion or with a bad range', async () => {
    await expect(createSuppression({ name: 'everything', reason: 'oops' }, lead)).rejects.toThrow(/at least one/)
    await expect(createSuppression({ name: 'bad', cidr: '300.1.2.3/8', reason: 'typo' }, lead)).rejects.toThrow(/not an IP range/)
  })
})

describe('per-dataset detection settings', () => {
  it('preview what each tier gains or loses before saving, without changing anything', async () => {
    const before = await stored()
    const preview = await whatIf(datasetId, { ...(await datasetSettings(datasetId)), lowThreshold: 11 })
    // 198.18.2.9 and 198.18.2.10 have exactly 10 names: they drop out; A's halves, B, H and J's two hours stay.
    expect(preview.current['Low-Level Enumeration']).toBe(8)
    expect(preview.proposed['Low-Level Enumeration']).toBe(6)
    expect(preview.change).toEqual({ 'High Confidence Enumeration': 0, 'Moderate Enumeration': 0, 'Low-Level Enumeration': -2 })
    expect(await stored()).toEqual(before)
  })

  it('save, recompute the findings in one go, and are audited', async () => {
    await saveDatasetSettings(datasetId, { ...(await datasetSettings(datasetId)), lowThreshold: 11 }, lead)
    expect((await stored()).filter((f) => f.kind === 'hourly').map((f) => f.ip)).toEqual(['198.18.0.1', '198.18.0.1', '198.18.1.5', '198.18.7.7', '198.18.8.8', '198.18.10.10', '198.18.10.10'])
    const [audit] = await query<{ action: string; after: { lowThreshold: number } }>("SELECT action, after FROM audit_events WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1")
    expect(audit.after.lowThreshold).toBe(11)
    await expect(saveDatasetSettings(datasetId, { ...(await datasetSettings(datasetId)), moderateThreshold: 5 }, lead)).rejects.toThrow(/thresholds must rise/)
    expect((await datasetSettings(datasetId)).lowThreshold).toBe(11)
    // The entry commits with the settings: one that cannot be written (an actor id beyond the
    // column's range) leaves the settings as they were.
    const ghost: Actor = { user: { ...lead.user, id: 2 ** 40 }, via: 'session' }
    await expect(saveDatasetSettings(datasetId, { lowThreshold: 12 }, ghost)).rejects.toThrow(/out of range/)
    expect((await datasetSettings(datasetId)).lowThreshold).toBe(11)
  })

  it('take a change of some fields over the current settings, not over the defaults, in the preview and the save', async () => {
    const original = await datasetSettings(datasetId)
    const tuned = { ...original, highThreshold: 45, usernameSampleSize: 40, windowMinutes: 60, campaignGapHours: 3, errorCodes: ['50034', '50126'] }
    await saveDatasetSettings(datasetId, tuned, lead)

    const preview = await whatIf(datasetId, { lowThreshold: 5 })
    expect(preview.settings).toEqual({ ...tuned, lowThreshold: 5 })
    const saved = await saveDatasetSettings(datasetId, { lowThreshold: 5 }, lead)
    expect(saved).toEqual({ ...tuned, lowThreshold: 5 })
    expect(await datasetSettings(datasetId)).toEqual(saved)
    // The findings were recomputed with the merged settings, as the preview said they would be.
    const hourly = (await stored()).filter((f) => f.kind === 'hourly')
    for (const verdict of Object.keys(preview.proposed)) expect(hourly.filter((f) => f.verdict === verdict).length, verdict).toBe(preview.proposed[verdict as keyof typeof preview.proposed])
    const [audit] = await query<{ before: Record<string, unknown>; after: Record<string, unknown> }>("SELECT before, after FROM audit_events WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1")
    expect(audit).toEqual({ before: tuned, after: saved })

    // Checked after the merge: each of these is valid on its own but not with the current values.
    await expect(saveDatasetSettings(datasetId, { moderateThreshold: 4 }, lead)).rejects.toThrow(/thresholds must rise/)
    await expect(whatIf(datasetId, { lowThreshold: 21 })).rejects.toThrow(/thresholds must rise/)
    await expect(saveDatasetSettings(datasetId, { lowAndSlowHighThreshold: 30 }, lead)).rejects.toThrow(/low-and-slow thresholds must rise/)
    // Null is not "back to the default", a misspelt field is not silently ignored, and the body is an object.
    await expect(saveDatasetSettings(datasetId, { lowThreshold: null }, lead)).rejects.toThrow(/lowThreshold/)
    await expect(saveDatasetSettings(datasetId, { lowTreshold: 6 }, lead)).rejects.toThrow(/unknown setting\(s\): lowTreshold/)
    await expect(whatIf(datasetId, [5])).rejects.toThrow(/JSON object/)
    await expect(saveDatasetSettings(datasetId, 'lowThreshold=5', lead)).rejects.toThrow(/JSON object/)
    expect(await datasetSettings(datasetId)).toEqual(saved)

    // A change that changes nothing saves nothing: no recomputation, no audit entry.
    const auditCount = async () => (await query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'settings.update'"))[0].n
    const [{ at: computedAt }] = await query<{ at: Date }>('SELECT findings_computed_at AS at FROM datasets WHERE id = $1', [datasetId])
    const entries = await auditCount()
    expect(await saveDatasetSettings(datasetId, {}, lead)).toEqual(saved)
    expect(await saveDatasetSettings(datasetId, { lowThreshold: 5 }, lead)).toEqual(saved)
    expect(await auditCount()).toBe(entries)
    expect((await query<{ at: Date }>('SELECT findings_computed_at AS at FROM datasets WHERE id = $1', [datasetId]))[0].at).toEqual(computedAt)
    await saveDatasetSettings(datasetId, original, lead)
    expect(await datasetSettings(datasetId)).toEqual(original)
  })
})

describe('triage of a window that moves', () => {
  it('follows the finding when new events move the window it starts at', async () => {
    const name = 'moving-window'
    const source = '198.18.9.9'
    // G again on its own address and dataset: a sliding finding at 20:30, 12 names.
    const retried = Array.from({ length: 360 }, (_, i) => at((i < 180 ? 20 * 60 + 30 : 21 * 60) + (i % 30), `m${Math.floor(i / 30)}@contoso.com`, source, 50034))
    expect((await run(name, 'first.json', ndjson(retried))).rowsRejected).toBe(0)
    const { id: movingId } = await findOrCreateDataset(name)
    const sliding = () =>
      query<{ id: number; bucket: Date; unique_usernames: number }>("SELECT id, bucket, unique_usernames FROM findings WHERE dataset_id = $1 AND kind = 'sliding'", [movingId])
    const [before] = await sliding()
    expect(before.bucket.toISOString()).toBe('2026-03-02T20:30:00.000Z')
    await applyTriage({ findingIds: [before.id], status: 'active' }, lead)
    const recordId = (await getFindingTriage(before.id, 'Low-Level Enumeration')).state.recordId
    expect(recordId).not.toBeNull()

    // Three more names at 20:25: still under 10 in the 20:00 hour, and the strongest window now
    // starts at 20:25 with 15 names.
    expect((await run(name, 'second.json', ndjson(burst(source, 20 * 60 + 25, 3, (i) => `late${i}@contoso.com`)))).rowsRejected).toBe(0)
    const after = await sliding()
    expect(after.map((f) => [f.bucket.toISOString(), f.unique_usernames])).toEqual([['2026-03-02T20:25:00.000Z', 15]])
    const { state } = await getFindingTriage(after[0].id, 'Low-Level Enumeration')
    expect(state).toMatchObject({ recordId, status: 'active' })
    expect(await query('SELECT id FROM triage_records WHERE dataset_id = $1', [movingId])).toEqual([{ id: recordId }])
    expect((await getFindingTriage(after[0].id, 'Low-Level Enumeration')).audit.map((a) => [a.action, a.actorLabel])).toContainEqual([
      'triage.window-moved',
      'system: new events moved the window',
    ])

    // Closed as benign, then more activity: 7 names at 19:31 make the strongest window start
    // there (16 names) and leave room for another from 20:31 (12). Nobody has judged that
    // activity, so the record follows the nearest window reopened, and the audit trail says why.
    await applyTriage({ findingIds: [after[0].id], close: { classification: 'benign_positive', reason: 'lab scanner' } }, lead)
    expect((await run(name, 'third.json', ndjson(burst(source, 19 * 60 + 31, 7, (i) => `early${i}@contoso.com`)))).rowsRejected).toBe(0)
    const windows = await sliding()
    expect(windows.map((f) => [f.bucket.toISOString(), f.unique_usernames]).sort()).toEqual([
      ['2026-03-02T19:31:00.000Z', 16],
      ['2026-03-02T20:31:00.000Z', 12],
    ])
    const last = windows.find((f) => f.bucket.toISOString() === '2026-03-02T20:31:00.000Z')!
    const reopened = await getFindingTriage(last.id, 'Low-Level Enumeration')
    expect(reopened.state).toMatchObject({ recordId, status: 'active', classification: null, reviewStatus: 'not_required' })
    expect(reopened.audit.at(-1)).toMatchObject({
      action: 'triage.reopen.window-moved',
      actorId: null,
      before: { status: 'closed', classification: 'benign_positive', reason: 'lab scanner' },
      after: { finding: last.id, status: 'active', classification: null },
    })

    // Closed again, then a lead shortens the sliding window: the window moves to 20:25 over the
    // same events, all of them judged, so the record moves with it and stays closed.
    await applyTriage({ findingIds: [last.id], close: { classification: 'benign_positive', reason: 'lab scanner, checked again' } }, lead)
    await saveDatasetSettings(movingId, { slidingWindowMinutes: 50 }, lead)
    const shorter = await sliding()
    expect(shorter.map((f) => [f.bucket.toISOString(), f.unique_usernames])).toEqual([['2026-03-02T20:25:00.000Z', 15]])
    const kept = await getFindingTriage(shorter[0].id, 'Low-Level Enumeration')
    expect(kept.state).toMatchObject({ recordId, status: 'closed', classification: 'benign_positive' })
    expect(kept.audit.at(-1)).toMatchObject({ action: 'triage.window-moved', actorLabel: 'system: new detection settings moved the window' })
  })
})
