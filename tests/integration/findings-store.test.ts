import { beforeAll, describe, expect, it } from 'vitest'
import { deleteDataset, findOrCreateDataset } from '@/lib/datasets/datasets'
import { findEnumeration, findingToJson } from '@/lib/detection/enumeration'
import { getFinding, getFindingEvents, getFindingUsernames } from '@/lib/findings/finding-details'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { listClientApps, listFindings } from '@/lib/findings/list-findings'
import { getIpActivity } from '@/lib/ips/get-ip-activity'
import { getOverview } from '@/lib/overview/get-overview'
import { latestEventTime } from '@/lib/datasets/latest-event'
import { getPrisma } from '@/lib/db/database'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'

// The stored findings behind the dashboard: always equal to the live detection, ids stable
// across imports, and filtered, sorted and paged in SQL.
useTestDatabase()

interface Attempt {
  at: string
  ip: string
  upn: string
  code?: string
  app?: string
  ua?: string
  client?: string
}

let counter = 0
function ndjson(attempts: Attempt[]): string {
  return attempts
    .map((a) =>
      JSON.stringify({
        '@timestamp': Date.parse(a.at),
        id: `evt-${++counter}`,
        resultType: a.code ?? '50034',
        ipAddress: a.ip,
        userPrincipalName: a.upn,
        clientAppUsed: a.client ?? 'Mobile Apps and Desktop clients',
        userAgent: a.ua ?? 'Mozilla/5.0',
        appDisplayName: a.app ?? 'Azure Active Directory PowerShell',
      }),
    )
    .join('\n')
}

/** `users` distinct usernames from one source, one attempt each, a second apart from `start`. */
function burst(ip: string, start: string, users: number, extra: Partial<Attempt> = {}, prefix = ip): Attempt[] {
  return Array.from({ length: users }, (_, i) => ({ at: new Date(Date.parse(`${start}:00Z`) + i * 1000).toISOString(), ip, upn: `${prefix}-user${i}@contoso.com`, ...extra }))
}

let datasetId = 0

beforeAll(async () => {
  datasetId = (await findOrCreateDataset('store')).id
  await ingestContent(
    'store',
    'first.ndjson',
    ndjson([
      ...burst('203.0.113.10', '2026-03-02T10:05', 55),
      ...burst('203.0.113.11', '2026-03-02T11:10', 25, { ua: 'python-requests/2.31.0' }),
      ...burst('198.51.100.7', '2026-03-02T12:00', 12, { client: 'Browser', ua: 'curl/8.4' }),
      ...burst('2001:db8::7', '2026-03-02T13:00', 10, { code: '50053' }),
      ...burst('192.0.2.9', '2026-03-02T14:00', 9),
    ]),
  )
})

describe('stored findings', () => {
  it('equal the live detection after an import', async () => {
    const page = await listFindings(parseFindingsQuery({ dataset: String(datasetId) }))
    const live = await findEnumeration({ datasetIds: [datasetId] })
    expect(page.total).toBe(4)
    expect(page.rows.map((r) => [r.ipAddress, r.bucket, r.uniqueUsernames, r.attemptCount, r.verdict])).toEqual(
      live.map(findingToJson).map((f) => [f.ipAddress, f.bucket, f.uniqueUsernames, f.attemptCount, f.verdict]),
    )
    expect(page.tierCounts).toEqual({ 'High Confidence Enumeration': 1, 'Moderate Enumeration': 1, 'Low-Level Enumeration': 2 })
  })

  it('keep their ids when a later import adds to them, and follow the new counts', async () => {
    const before = await listFindings(parseFindingsQuery({ dataset: String(datasetId) }))
    const low = before.rows.find((r) => r.ipAddress === '198.51.100.7')!
    // 10 more usernames for 198.51.100.7 (Low → Moderate) and one for 192.0.2.9 (9 → 10: new finding).
    const report = await ingestContent(
      'store',
      'second.ndjson',
      ndjson([...burst('198.51.100.7', '2026-03-02T12:30', 10, { client: 'Browser', ua: 'curl/8.4' }, 'late'), ...burst('192.0.2.9', '2026-03-02T14:30', 1, {}, 'tenth')]),
    )
    expect(report.rowsInserted).toBe(11)
    const after = await listFindings(parseFindingsQuery({ dataset: String(datasetId) }))
    const grown = after.rows.find((r) => r.ipAddress === '198.51.100.7')!
    expect(grown.id).toBe(low.id)
    expect(grown.uniqueUsernames).toBe(22)
    expect(grown.verdict).toBe('Moderate Enumeration')
    expect(after.rows.find((r) => r.ipAddress === '192.0.2.9')?.uniqueUsernames).toBe(10)
    expect(after.total).toBe(5)
  })

  it('filter by tier, client app, time range and search, with tier counts that ignore the tier filter', async () => {
    const base = { dataset: String(datasetId) }
    const moderate = await listFindings(parseFindingsQuery({ ...base, verdict: 'Moderate Enumeration' }))
    expect(moderate.rows.map((r) => r.ipAddress).sort()).toEqual(['198.51.100.7', '203.0.113.11'])
    expect(moderate.total).toBe(2)
    expect(moderate.tierCounts['High Confidence Enumeration']).toBe(1)

    expect((await listFindings(parseFindingsQuery({ ...base, app: 'Browser' }))).rows.map((r) => r.ipAddress)).toEqual(['198.51.100.7'])
    const window = await listFindings(parseFindingsQuery({ ...base, from: '2026-03-02T11:00:00Z', to: '2026-03-02T13:00:00Z' }))
    expect(window.rows.map((r) => r.ipAddress).sort()).toEqual(['198.51.100.7', '203.0.113.11'])

    expect((await listFindings(parseFindingsQuery({ ...base, q: 'PYTHON-requests' }))).rows.map((r) => r.ipAddress)).toEqual(['203.0.113.11'])
    expect((await listFindings(parseFindingsQuery({ ...base, q: '2001:db8' }))).rows.map((r) => r.ipAddress)).toEqual(['2001:db8::7'])
    expect((await listFindings(parseFindingsQuery({ ...base, q: '203.0.113.10-user3@' }))).rows.map((r) => r.ipAddress)).toEqual(['203.0.113.10'])
    // LIKE wildcards typed by the analyst are literal characters.
    expect((await listFindings(parseFindingsQuery({ ...base, q: '%' }))).total).toBe(0)
    expect(await listClientApps([datasetId])).toEqual(['Browser', 'Mobile Apps and Desktop clients'])
  })

  it('sort on several keys and page in SQL', async () => {
    const sorted = await listFindings(parseFindingsQuery({ dataset: String(datasetId), sort: 'attemptCount.asc,bucket.desc' }))
    expect(sorted.rows.map((r) => r.attemptCount)).toEqual([10, 10, 22, 25, 55])
    expect(sorted.rows.slice(0, 2).map((r) => r.ipAddress)).toEqual(['192.0.2.9', '2001:db8::7']) // same attempts: later hour first
    const byIp = await listFindings(parseFindingsQuery({ dataset: String(datasetId), sort: 'ipAddress.asc' }))
    expect(byIp.rows.map((r) => r.ipAddress)).toEqual(['192.0.2.9', '198.51.100.7', '203.0.113.10', '203.0.113.11', '2001:db8::7'])

    const page2 = await listFindings(parseFindingsQuery({ dataset: String(datasetId), sort: 'ipAddress.asc', size: '25', page: '1' }))
    expect(page2.rows).toHaveLength(5)
    const beyond = await listFindings(parseFindingsQuery({ dataset: String(datasetId), page: '9' }))
    expect(beyond.rows).toEqual([])
    expect(beyond.total).toBe(5)
  })

  it('ignore sort keys that are not columns (nothing from the URL reaches the SQL text)', async () => {
    const query = parseFindingsQuery({ dataset: String(datasetId), sort: 'bucket;DROP TABLE findings--.asc,unique_usernames.desc' })
    expect(query.sort.map((s) => s.id)).toEqual(['uniqueUsernames', 'attemptCount', 'bucket', 'ipAddress'])
    expect((await listFindings(query)).total).toBe(5)
  })

  it('drill down to every username, its codes and existence, and every event', async () => {
    const page = await listFindings(parseFindingsQuery({ dataset: String(datasetId), q: '2001:db8::7' }))
    const finding = (await getFinding(page.rows[0].id))!
    expect(finding.windowMinutes).toBe(60)
    expect(finding.errorCodes).toEqual(['50034', '50053', '50055', '50056'])
    const usernames = await getFindingUsernames(finding.id)
    expect(usernames).toHaveLength(10)
    expect(usernames.every((u) => u.accountExists === true && u.errorCodes.join() === '50053')).toBe(true)
    const events = await getFindingEvents(finding.id)
    expect(events).toHaveLength(10)
    expect(events.map((e) => e.createdAt)).toEqual([...events.map((e) => e.createdAt)].sort())

    const big = (await listFindings(parseFindingsQuery({ dataset: String(datasetId), q: '203.0.113.10' }))).rows[0]
    const bigUsers = await getFindingUsernames(big.id)
    expect(bigUsers).toHaveLength(55) // all of them, not the 25-sample
    expect(bigUsers.every((u) => u.accountExists === false)).toBe(true)
  })

  it('overview and per-IP activity read the same data', async () => {
    const overview = await getOverview([datasetId])
    expect(overview.events).toBe(111 + 11)
    expect(overview.tierCounts).toEqual({ 'High Confidence Enumeration': 1, 'Moderate Enumeration': 2, 'Low-Level Enumeration': 2 })
    expect(overview.topSourceIps[0]).toMatchObject({ ipAddress: '203.0.113.10', uniqueUsernames: 55, findings: 1, topVerdict: 'High Confidence Enumeration' })
    const hour10 = overview.hourly.find((h) => h.bucket === '2026-03-02T10:00:00.000Z')!
    expect(hour10).toMatchObject({ failedSignIns: 55, targetedUsernames: 55, high: 1 })

    const ip = await getIpActivity('198.51.100.7', [datasetId])
    expect(ip).toMatchObject({ events: 22, enumerationFailures: 22, targetedUsernames: 22, successes: 0 })
    expect(ip.clients).toEqual([expect.objectContaining({ clientAppUsed: 'Browser', userAgent: 'curl/8.4', events: 22, usernames: 22 })])
    expect(ip.timeline).toEqual([{ bucket: '2026-03-02T12:00:00.000Z', attemptsByCode: { '50034': 22 }, attempts: 22, usernames: 22, probedUsernames: 22 }])
    expect(ip.buckets).toEqual([expect.objectContaining({ uniqueUsernames: 22, verdict: 'Moderate Enumeration' })])
    const below = await getIpActivity('192.0.2.9', [datasetId])
    expect(below.buckets.map((b) => [b.uniqueUsernames, b.verdict])).toEqual([[10, 'Low-Level Enumeration']])
  })

  it("the overview's stored activity follows each import, per set of datasets; the newest event comes from the summary", async () => {
    const other = await findOrCreateDataset('overview-follows')
    await ingestContent('overview-follows', 'a.ndjson', ndjson(burst('203.0.113.120', '2026-03-04T10:00', 12)))
    const first = await getOverview([other.id])
    expect(first.topSourceIps.map((t) => [t.ipAddress, t.uniqueUsernames, t.findings])).toEqual([['203.0.113.120', 12, 1]])
    expect(first.hourly.map((h) => [h.bucket, h.failedSignIns, h.targetedUsernames, h.low])).toEqual([['2026-03-04T10:00:00.000Z', 12, 12, 1]])
    const prisma = await getPrisma()
    expect(await prisma.overviewActivity.count({ where: { scope: String(other.id) } })).toBe(1)
    expect(await latestEventTime([other.id])).toEqual(new Date('2026-03-04T10:00:11Z'))

    // A later import (another hour, a bigger source) must show on the next view, not the stored one.
    await ingestContent('overview-follows', 'b.ndjson', ndjson(burst('203.0.113.121', '2026-03-04T12:30', 30)))
    const second = await getOverview([other.id])
    expect(second.topSourceIps.map((t) => [t.ipAddress, t.uniqueUsernames])).toEqual([['203.0.113.121', 30], ['203.0.113.120', 12]])
    expect(second.hourly.map((h) => [h.bucket, h.targetedUsernames])).toEqual([['2026-03-04T10:00:00.000Z', 12], ['2026-03-04T12:00:00.000Z', 30]])
    expect(await latestEventTime([other.id])).toEqual(new Date('2026-03-04T12:30:29Z'))
    expect(await getOverview([other.id])).toEqual(second)

    // Two datasets together count a name once per hour, whatever each alone says.
    const all = await getOverview([datasetId, other.id])
    const alone = await getOverview([datasetId])
    expect(all.topSourceIps[0]).toEqual(alone.topSourceIps[0])
    expect(all.hourly.filter((h) => h.bucket.startsWith('2026-03-04'))).toEqual(second.hourly)
    expect(await latestEventTime([datasetId, other.id])).toEqual(new Date('2026-03-04T12:30:29Z'))
    // What was kept for the sets a deleted dataset was in goes at the next computation.
    await deleteDataset(other.id)
    const keptWith = () => prisma.$queryRaw<{ scope: string }[]>`SELECT scope FROM overview_activity WHERE ${String(other.id)} = ANY(string_to_array(scope, ','))`
    expect(await keptWith()).toHaveLength(2)
    await ingestContent('overview-follows-2', 'c.ndjson', ndjson(burst('203.0.113.122', '2026-03-05T10:00', 3)))
    await getOverview(null)
    expect(await keptWith()).toEqual([])
  })

  it('go with their dataset when it is deleted', async () => {
    const other = await findOrCreateDataset('doomed')
    await ingestContent('doomed', 'x.ndjson', ndjson(burst('203.0.113.99', '2026-03-03T10:00', 12)))
    expect((await listFindings(parseFindingsQuery({ dataset: String(other.id) }))).total).toBe(1)
    await deleteDataset(other.id)
    const prisma = await getPrisma()
    expect(await prisma.finding.count({ where: { datasetId: other.id } })).toBe(0)
    expect(await prisma.signInEvent.count({ where: { datasetId: other.id } })).toBe(0)
    expect(await prisma.signInHourlyRollup.count({ where: { datasetId: other.id } })).toBe(0)
  })
})
