import { beforeAll, describe, expect, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { getPool } from '@/lib/db/database'
import { getIpActivity, getIpFineTimeline } from '@/lib/ips/get-ip-activity'
import { ipConfirmedAccounts } from '@/lib/remediation/confirmed-accounts'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'

// The per-IP page without a dataset filter: every dataset's events of the address, exactly as
// if each dataset had been named. The filter is spelled out in SQL so the (dataset_id,
// ip_address, …) indexes apply either way, and this pins that it still means "all".
useTestDatabase()

const IP = '203.0.113.50'
let counter = 0

function ndjson(attempts: { at: string; ip: string; upn: string; code: string; ua?: string }[]): string {
  return attempts
    .map((a) =>
      JSON.stringify({
        '@timestamp': Date.parse(a.at),
        id: `ip-evt-${++counter}`,
        resultType: a.code,
        ipAddress: a.ip,
        userPrincipalName: a.upn,
        clientAppUsed: 'Mobile Apps and Desktop clients',
        userAgent: a.ua ?? 'python-requests/2.31.0',
        appDisplayName: 'Azure Active Directory PowerShell',
      }),
    )
    .join('\n')
}

/** `users` usernames from `ip`, a second apart from `start`; every fifth one an existing account (50126). */
function burst(ip: string, start: string, users: number, prefix: string, ua?: string) {
  return Array.from({ length: users }, (_, i) => ({
    at: new Date(Date.parse(`${start}:00Z`) + i * 1000).toISOString(),
    ip,
    upn: `${prefix}-user${i}@contoso.com`,
    code: i % 5 === 0 ? '50126' : '50034',
    ua,
  }))
}

const ids: Record<'march' | 'april' | 'elsewhere', number> = { march: 0, april: 0, elsewhere: 0 }

beforeAll(async () => {
  await ingestContent('march', 'march.ndjson', ndjson([...burst(IP, '2026-03-02T10:05', 30, 'm'), ...burst('198.51.100.1', '2026-03-02T10:05', 12, 'o')]))
  // The same address a month later, partly the same usernames, with another client.
  await ingestContent('april', 'april.ndjson', ndjson([...burst(IP, '2026-04-07T22:40', 25, 'm', 'curl/8.4'), ...burst(IP, '2026-04-08T01:00', 8, 'a')]))
  // A dataset without the address: contributes nothing, but is among "all".
  await ingestContent('elsewhere', 'elsewhere.ndjson', ndjson(burst('192.0.2.77', '2026-03-02T10:05', 15, 'e')))
  for (const name of ['march', 'april', 'elsewhere'] as const) ids[name] = (await findOrCreateDataset(name)).id
})

describe('per-IP activity without a dataset filter', () => {
  it('equals the union across every dataset', async () => {
    const all = await getIpActivity(IP, null)
    expect(all).toEqual(await getIpActivity(IP, [ids.march, ids.april, ids.elsewhere]))

    const march = await getIpActivity(IP, [ids.march])
    const april = await getIpActivity(IP, [ids.april])
    expect(march.events).toBe(30)
    expect(april.events).toBe(33)
    expect(all.events).toBe(march.events + april.events)
    expect(all.enumerationFailures).toBe(march.enumerationFailures + april.enumerationFailures)
    // The rule's codes only (not 50126): 24 m-users in March, 20 of them again in April, 6 a-users.
    // Distinct counts are of the union, not a sum.
    expect(march.targetedUsernames + april.targetedUsernames).toBe(24 + 26)
    expect(all.targetedUsernames).toBe(24 + 6)
    expect(all.datasetIds).toEqual([ids.march, ids.april].sort((a, b) => a - b))
    expect(all.firstSeen).toBe(march.firstSeen)
    expect(all.lastSeen).toBe(april.lastSeen)
    expect(all.buckets.map((b) => b.datasetId).sort()).toEqual([...march.buckets, ...april.buckets].map((b) => b.datasetId).sort())
    expect(all.timeline.map((p) => p.bucket)).toEqual([...march.timeline, ...april.timeline].map((p) => p.bucket))
    expect(all.clients.map((c) => [c.userAgent, c.events])).toEqual([
      ['python-requests/2.31.0', 38],
      ['curl/8.4', 25],
    ])
  })

  it('the zoomed timeline and the confirmed accounts too', async () => {
    const from = new Date('2026-03-01T00:00:00Z')
    const to = new Date('2026-05-01T00:00:00Z')
    const allIds = [ids.march, ids.april, ids.elsewhere]
    expect(await getIpFineTimeline(IP, null, from, to, 5)).toEqual(await getIpFineTimeline(IP, allIds, from, to, 5))

    const accounts = await ipConfirmedAccounts(IP, null)
    expect(accounts).toEqual(await ipConfirmedAccounts(IP, allIds))
    const perDataset = new Set([...(await ipConfirmedAccounts(IP, [ids.march])), ...(await ipConfirmedAccounts(IP, [ids.april]))].map((a) => a.userPrincipalName))
    expect(accounts.map((a) => a.userPrincipalName).sort()).toEqual([...perDataset].sort())
    expect(accounts.find((a) => a.userPrincipalName === 'm-user0@contoso.com')?.attempts).toBe(2)
  })

  it("counts an attempt inside two findings' windows once, and names both findings", async () => {
    const pool = await getPool()
    const { rows: [finding] } = await pool.query<{ id: number }>(
      "SELECT id FROM findings WHERE dataset_id = $1 AND host(ip_address) = $2 AND kind = 'hourly' ORDER BY bucket LIMIT 1",
      [ids.march, IP],
    )
    expect(finding).toBeDefined()
    const before = await ipConfirmedAccounts(IP, [ids.march])
    // A second finding over the same window and source (as a sliding window over the same hour can be).
    const { rows: [copy] } = await pool.query<{ id: number }>(
      `WITH c AS (SELECT * FROM findings WHERE id = $1)
       INSERT INTO findings SELECT (jsonb_populate_record(NULL::findings, to_jsonb(c) || jsonb_build_object('id', nextval(pg_get_serial_sequence('findings', 'id')), 'kind', 'sliding'))).* FROM c
       RETURNING id`,
      [finding.id],
    )
    try {
      const after = await ipConfirmedAccounts(IP, [ids.march])
      expect(after.map((a) => a.attempts)).toEqual(before.map((a) => a.attempts))
      expect(after.reduce((sum, a) => sum + a.attempts, 0)).toBe(6)
      expect(after.every((a) => JSON.stringify(a.findingIds) === JSON.stringify([finding.id, copy.id]))).toBe(true)
    } finally {
      await pool.query('DELETE FROM findings WHERE id = $1', [copy.id])
    }
  })

  it('an empty filter still means no dataset, and a filter still narrows', async () => {
    expect((await getIpActivity(IP, [])).events).toBe(0)
    expect(await ipConfirmedAccounts(IP, [])).toEqual([])
    expect((await getIpActivity(IP, [ids.elsewhere])).events).toBe(0)
    expect((await getIpActivity(IP, [ids.april])).datasetIds).toEqual([ids.april])
  })

  it('reads its totals, clients and locations from one pass over the events, and its hours from one over the rollup, with times to the millisecond', async () => {
    const april = await getIpActivity(IP, [ids.april])
    // 25 curl attempts from 22:40:00, then 8 python ones from 01:00:00, a second apart.
    expect([april.firstSeen, april.lastSeen]).toEqual(['2026-04-07T22:40:00.000Z', '2026-04-08T01:00:07.000Z'])
    expect(april.clients).toEqual([
      { clientAppUsed: 'Mobile Apps and Desktop clients', userAgent: 'curl/8.4', events: 25, enumerationFailures: 20, usernames: 25, firstSeen: '2026-04-07T22:40:00.000Z', lastSeen: '2026-04-07T22:40:24.000Z' },
      { clientAppUsed: 'Mobile Apps and Desktop clients', userAgent: 'python-requests/2.31.0', events: 8, enumerationFailures: 6, usernames: 8, firstSeen: '2026-04-08T01:00:00.000Z', lastSeen: '2026-04-08T01:00:07.000Z' },
    ])
    expect(april.locations).toEqual([{ city: null, state: null, country: null, autonomousSystem: null, events: 33 }])
    // 50126 every fifth attempt: 5 + 2 accounts confirmed, 20 + 6 names not found, all 33 probed.
    expect([april.confirmedAccounts, april.notFoundUsernames, april.probedUsernames, april.successes]).toEqual([7, 26, 33, 0])

    // The rollup's side, also from one read: the hours with the rule's codes (50126 is not one) and the timeline.
    expect(april.buckets.map(({ findingId, ...b }) => ({ ...b, finding: findingId !== null }))).toEqual([
      { datasetId: ids.april, datasetName: 'april', bucket: '2026-04-07T22:00:00.000Z', clientAppUsed: 'Mobile Apps and Desktop clients', userAgent: 'curl/8.4', uniqueUsernames: 20, attempts: 20, firstSeen: '2026-04-07T22:40:01.000Z', lastSeen: '2026-04-07T22:40:24.000Z', verdict: 'Moderate Enumeration', finding: true },
      { datasetId: ids.april, datasetName: 'april', bucket: '2026-04-08T01:00:00.000Z', clientAppUsed: 'Mobile Apps and Desktop clients', userAgent: 'python-requests/2.31.0', uniqueUsernames: 6, attempts: 6, firstSeen: '2026-04-08T01:00:01.000Z', lastSeen: '2026-04-08T01:00:07.000Z', verdict: null, finding: false },
    ])
    expect(april.timeline).toEqual([
      { bucket: '2026-04-07T22:00:00.000Z', attemptsByCode: { '50034': 20, '50126': 5 }, attempts: 25, usernames: 20, probedUsernames: 25 },
      { bucket: '2026-04-08T01:00:00.000Z', attemptsByCode: { '50034': 6, '50126': 2 }, attempts: 8, usernames: 6, probedUsernames: 8 },
    ])

    const none = await getIpActivity('192.0.2.200', null)
    expect(none).toMatchObject({ events: 0, firstSeen: null, lastSeen: null, datasetIds: [], clients: [], locations: [], timeline: [], buckets: [] })
  })
})
