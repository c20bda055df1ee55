import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { previewSuppression } from '@/lib/tuning/suppression-preview'
import { createSuppression, deleteSuppression, type SuppressionInput } from '@/lib/tuning/suppressions'
import { graphRecord, ndjson, query, run } from '../helpers/ingest-kit'
import { repoRoot } from '../helpers/paths'
import { useTestDatabase } from '../helpers/test-database'

// What a suppression rule's preview shows before saving is exactly what the saved rule hides:
// for each kind of criterion (ranges v4 and v6, user agents with LIKE's own % and _ in them,
// apps, username patterns, expiry, a dataset scope, combinations), the preview's findings are
// the findings the rule then marks, in every dataset, and so is its count of Critical ones.
useTestDatabase()

const T0 = Date.parse('2026-03-02T00:00:00Z')
let seq = 0

function at(minutes: number, upn: string, ip: string, code: number, extra: Record<string, unknown> = {}) {
  return graphRecord(seq, {
    id: `match-${String(seq++).padStart(6, '0')}`,
    createdDateTime: new Date(T0 + minutes * 60_000).toISOString(),
    userPrincipalName: upn,
    ipAddress: ip,
    status: { errorCode: code },
    ...extra,
  })
}

/** 12 names (one finding: Low-Level) from `ip` from `start`, a minute apart. */
function burst(ip: string, start: number, name: (i: number) => string, extra: Record<string, unknown> = {}) {
  return Array.from({ length: 12 }, (_, i) => at(start + i, name(i), ip, 50034, extra))
}

const governance = { userAgent: 'GovernanceBot/2.1', appDisplayName: 'Access Reviews' }
const sync = { userAgent: '', appDisplayName: 'Microsoft Azure Active Directory Connect' }

const records = [
  // A: a governance sweep of service accounts only; B: the same tool, with one person among them.
  ...burst('203.0.113.10', 10 * 60, (i) => `svc-${i}@contoso.com`, governance),
  ...burst('203.0.113.11', 10 * 60, (i) => (i === 11 ? 'dave@contoso.com' : `SVC-${i}@Contoso.com`), governance),
  // C: an Office sweep whose fifth name later signs in from the same address (escalated).
  ...burst('203.0.113.200', 12 * 60, (i) => `c${i}@contoso.com`, { appDisplayName: 'Office 365' }),
  at(13 * 60, 'c4@contoso.com', '203.0.113.200', 50076, { appDisplayName: 'Office 365' }),
  // D: a sync server on IPv6 without a user agent.
  ...burst('2001:db8:abcd::5', 14 * 60, (i) => `d${i}@contoso.com`, sync),
  // E, F: user agents with LIKE's wildcards in them, literally: "scan_tool*" matches E, not F.
  ...burst('198.51.100.7', 15 * 60, (i) => `e${i}@contoso.com`, { userAgent: 'Scan_Tool%v1' }),
  ...burst('198.51.100.8', 15 * 60, (i) => `f${i}@contoso.com`, { userAgent: 'ScanXTool 100' }),
  // G: the next day, from the first range again.
  ...burst('203.0.113.10', 34 * 60, (i) => `g${i}@contoso.com`, governance),
]
// H: the governance tool in a second dataset.
const otherRecords = burst('203.0.113.10', 10 * 60, (i) => `svc-${i}@contoso.com`, governance)

let lead: Actor
let datasetId: number
let otherId: number

beforeAll(async () => {
  datasetId = (await findOrCreateDataset('matching')).id
  otherId = (await findOrCreateDataset('matching-other')).id
  expect((await run('matching', 'matching.json', ndjson(records))).rowsRejected).toBe(0)
  expect((await run('matching-other', 'other.json', ndjson(otherRecords))).rowsRejected).toBe(0)
  lead = { user: await createUser({ email: 'lead@example.com', role: 'lead', password: 'lead-password-123' }), via: 'session' }
})

const label = async (ids: number[]) =>
  (
    await query<{ label: string }>(
      `SELECT d.name || ' ' || host(f.ip_address) || ' ' || to_char(f.bucket AT TIME ZONE 'UTC', 'DD HH24:MI') || ' ' || f.kind AS label
         FROM findings f JOIN datasets d ON d.id = f.dataset_id WHERE f.id = ANY($1::int[]) ORDER BY 1`,
      [ids],
    )
  ).map((r) => r.label)

const DAY1 = '02 10:00 hourly'
const cases: { name: string; rule: Omit<SuppressionInput, 'name' | 'reason'>; hides: string[]; critical?: number }[] = [
  {
    name: 'an IPv4 range',
    rule: { cidr: '203.0.113.0/24' },
    hides: [`matching 203.0.113.10 ${DAY1}`, 'matching 203.0.113.10 03 10:00 hourly', `matching 203.0.113.11 ${DAY1}`, 'matching 203.0.113.200 02 12:00 hourly', `matching-other 203.0.113.10 ${DAY1}`],
    critical: 1,
  },
  { name: 'one address', rule: { cidr: '203.0.113.200/32' }, hides: ['matching 203.0.113.200 02 12:00 hourly'], critical: 1 },
  { name: 'an IPv6 range', rule: { cidr: '2001:db8:abcd::/48' }, hides: ['matching 2001:db8:abcd::5 02 14:00 hourly'] },
  {
    name: 'a user agent, in any case',
    rule: { userAgentPattern: 'governancebot/*' },
    hides: [`matching 203.0.113.10 ${DAY1}`, 'matching 203.0.113.10 03 10:00 hourly', `matching 203.0.113.11 ${DAY1}`, `matching-other 203.0.113.10 ${DAY1}`],
  },
  { name: "a user agent with LIKE's % and _ taken literally", rule: { userAgentPattern: 'scan_tool%*' }, hides: ['matching 198.51.100.7 02 15:00 hourly'] },
  { name: 'an app', rule: { appName: 'Office 365' }, hides: ['matching 203.0.113.200 02 12:00 hourly'], critical: 1 },
  {
    name: 'a username pattern every name must fit',
    rule: { upnPattern: 'svc-*@contoso.com' },
    hides: [`matching 203.0.113.10 ${DAY1}`, `matching-other 203.0.113.10 ${DAY1}`],
  },
  { name: 'a username pattern and a user agent, in one dataset', rule: { upnPattern: 'SVC-*', userAgentPattern: 'GovernanceBot/*', datasetId: -1 }, hides: [`matching 203.0.113.10 ${DAY1}`] },
  { name: 'an app and a v6 range', rule: { appName: 'Microsoft Azure Active Directory Connect', cidr: '2001:db8::/32' }, hides: ['matching 2001:db8:abcd::5 02 14:00 hourly'] },
  { name: 'an app and the wrong range', rule: { appName: 'Microsoft Azure Active Directory Connect', cidr: '203.0.113.0/24' }, hides: [] },
  {
    name: 'an expiry on the logs’ clock',
    rule: { cidr: '203.0.113.0/24', expiresAt: '2026-03-02T11:30:00.000Z' },
    hides: [`matching 203.0.113.10 ${DAY1}`, `matching 203.0.113.11 ${DAY1}`, `matching-other 203.0.113.10 ${DAY1}`],
  },
  { name: 'another dataset only', rule: { cidr: '203.0.113.10/32', datasetId: -2 }, hides: [`matching-other 203.0.113.10 ${DAY1}`] },
]

describe('a suppression rule hides what its preview showed', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const rule = { ...c.rule, datasetId: c.rule.datasetId === -1 ? datasetId : c.rule.datasetId === -2 ? otherId : (c.rule.datasetId ?? null) }
      const preview = await previewSuppression(rule)
      const critical = c.critical ?? 0
      const saved = await createSuppression({ ...rule, name: c.name.slice(0, 100), reason: 'matching test', hideCritical: critical > 0 }, lead)
      try {
        const applied = await query<{ id: number; escalated: boolean }>('SELECT id, escalated FROM findings WHERE suppressed_by_id = $1 ORDER BY id', [saved.id])
        expect(preview.findings.map((f) => f.id).sort((a, b) => a - b)).toEqual(applied.map((f) => f.id))
        expect(preview.total).toBe(applied.length)
        expect(saved.suppressedFindings).toBe(applied.length)
        expect(preview.critical).toBe(applied.filter((f) => f.escalated).length)
        // Hand-counted, so that agreeing on nothing would not pass.
        expect(await label(applied.map((f) => f.id))).toEqual([...c.hides].sort())
        expect(preview.critical).toBe(critical)
      } finally {
        await deleteSuppression(saved.id, lead)
      }
    })
  }

  it('both queries call the one definition, and neither repeats its criteria', () => {
    for (const file of ['lib/tuning/sql/preview-suppression.sql', 'lib/findings/sql/apply-suppressions.sql']) {
      const sql = readFileSync(path.join(repoRoot, file), 'utf8')
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
      expect(sql, file).toMatch(/suppression_covers\(f, /)
      expect(sql, file).not.toMatch(/<<=|LIKE|app_list|sign_in_events/i)
    }
  })
})

describe('a rule that would hide a Critical finding', () => {
  it('is refused unless the lead says so, and nothing is saved', async () => {
    await expect(createSuppression({ name: 'Office sweep', appName: 'Office 365', reason: 'benign?' }, lead)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/would hide 1 Critical finding/),
    })
    expect(await query('SELECT id FROM suppression_rules')).toEqual([])
    expect(await query('SELECT id FROM findings WHERE suppressed_by_id IS NOT NULL')).toEqual([])
    // The audit entry is written in the change's transaction: a refused change leaves none.
    const entries = await query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'suppression' AND after->>'name' = 'Office sweep'")
    expect(entries[0].n).toBe(0)
  })

  it('is refused on an edit that widens it onto one too', async () => {
    const rule = await createSuppression({ name: 'Scanner', cidr: '198.51.100.7/32', reason: 'lab scanner' }, lead)
    try {
      const { updateSuppression } = await import('@/lib/tuning/suppressions')
      await expect(updateSuppression(rule.id, { ...rule, cidr: '0.0.0.0/0' }, lead)).rejects.toMatchObject({ status: 409 })
      expect((await query<{ cidr: string }>('SELECT cidr::text AS cidr FROM suppression_rules WHERE id = $1', [rule.id]))[0].cidr).toBe('198.51.100.7/32')
      expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM findings WHERE suppressed_by_id = $1', [rule.id]))[0].n).toBe(1)
      const audited = await query<{ action: string; cidr: string }>("SELECT action, after->>'cidr' AS cidr FROM audit_events WHERE entity_type = 'suppression' AND entity_id = $1 ORDER BY id", [String(rule.id)])
      expect(audited).toEqual([{ action: 'suppression.create', cidr: '198.51.100.7/32' }])
    } finally {
      await deleteSuppression(rule.id, lead)
    }
  })
})
