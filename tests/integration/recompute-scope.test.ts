import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { campaignRuns } from '@/lib/campaigns/refresh-campaigns'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { recomputeDataset, type RecomputeResult } from '@/lib/derive/recompute'
import { ingest } from '@/lib/ingest/pipeline'
import { graphRecord, ndjson, once, query } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// After an append, the escalations and suppressions look again only at the findings the appended
// events can change, and still equal a recompute from scratch: an old finding escalated by a new
// success, and one escalated because a neighbour's new failures make it attacker infrastructure.
useTestDatabase()

let record = 0
const event = (at: string, ip: string, upn: string, code: number) =>
  graphRecord(record++, { id: `s-${record}`, createdDateTime: at, ipAddress: ip, userPrincipalName: upn, status: { errorCode: code } })

/** `count` failed sign-ins from one address, names `${prefix}0…`, from `start` a second apart. */
const burst = (ip: string, start: string, count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => event(new Date(Date.parse(start) + i * 1000).toISOString(), ip, `${prefix}${i}@contoso.com`, 50034))

/** `full`: the dataset's first recompute is full (lib/derive/recompute.ts), the others scoped. */
async function appendAndRecompute(datasetId: number, name: string, records: object[], full = false): Promise<RecomputeResult> {
  const report = await ingest({ datasetId, fileName: name, source: once(ndjson(records)) })
  expect(report.status).toBe('succeeded')
  const result = await recomputeDataset(datasetId)
  expect(result).toMatchObject({ status: 'current', run: { full } })
  return result
}

const looked = (result: RecomputeResult, detector: string) => result.run?.phases.find((p) => p.detector === detector)?.findings

const escalations = async (datasetId: number) =>
  query<{ ip: string; upn: string; relation: string; escalated: boolean }>(
    `SELECT host(f.ip_address) AS ip, e.user_principal_name AS upn, e.relation, f.escalated
       FROM findings f JOIN finding_escalations e ON e.finding_id = f.id
      WHERE f.dataset_id = $1 ORDER BY 1, 2`,
    [datasetId],
  )

/** Sources of the dataset's campaigns. */
const campaignMembers = async (datasetId: number) =>
  (await query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_sources s JOIN campaigns c ON c.id = s.campaign_id WHERE c.dataset_id = $1', [datasetId]))[0].n

describe('a scoped recompute', () => {
  it('recomputes the escalations of the findings the append reaches, and only those', async () => {
    const { id } = await findOrCreateDataset('scoped-escalations')
    // Twelve findings in twelve networks over the first day.
    const bursts = Array.from({ length: 12 }, (_, b) => burst(`198.18.${b}.10`, `2026-03-02T${String(b + 1).padStart(2, '0')}:05:00Z`, 15, `b${b}-`))
    const first = await appendAndRecompute(id, 'day-1.json', bursts.flat(), true)
    expect(looked(first, 'escalations')).toBe(12)
    const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM findings WHERE dataset_id = $1', [id])
    expect(n).toBe(12)
    expect(await escalations(id)).toEqual([])

    // A day later a name the first burst probed signs in from its address: that old finding is
    // escalated, and it is the only one looked at.
    const success = await appendAndRecompute(id, 'day-2.json', [event('2026-03-03T09:10:00Z', '198.18.0.10', 'b0-3@contoso.com', 0)])
    expect(looked(success, 'escalations')).toBe(1)
    expect(looked(success, 'suppressions')).toBe(0)
    expect(await escalations(id)).toEqual([{ ip: '198.18.0.10', upn: 'b0-3@contoso.com', relation: 'same IP', escalated: true }])

    // A neighbour of the second burst signs in one of its names: most of its sign-ins do not
    // fail, so it is somebody's office, not the attacker's.
    const neighbour = await appendAndRecompute(id, 'day-2b.json', [event('2026-03-03T10:10:00Z', '198.18.1.11', 'b1-4@contoso.com', 0)])
    expect(looked(neighbour, 'escalations')).toBe(1)
    expect(await escalations(id)).toHaveLength(1)

    // Later its failures make it attacker infrastructure: the second burst's finding is escalated
    // by a sign-in appended before, because its neighbour's share of failures flipped.
    const failures = ['x1', 'x2', 'x3'].map((u, i) => event(`2026-03-04T10:0${i}:00Z`, '198.18.1.11', `${u}@contoso.com`, 50126))
    const flipped = await appendAndRecompute(id, 'day-3.json', failures)
    expect(looked(flipped, 'escalations')).toBe(1)
    expect(await escalations(id)).toEqual([
      { ip: '198.18.0.10', upn: 'b0-3@contoso.com', relation: 'same IP', escalated: true },
      { ip: '198.18.1.10', upn: 'b1-4@contoso.com', relation: 'same /24', escalated: true },
    ])

    // The same as a recompute from scratch.
    const scoped = await escalations(id)
    const full = await recomputeDataset(id, { full: true })
    expect(full).toMatchObject({ status: 'current', run: { full: true } })
    expect(looked(full, 'escalations')).toBe(12)
    expect(await escalations(id)).toEqual(scoped)
  })

  it("does not escalate a name from where it had proved its password before the probing began, and equals a recompute from scratch", async () => {
    const { id } = await findOrCreateDataset('scoped-usual-place')
    // Two people sign in from the office the rule then flags (a burst through its NAT): one
    // the day before, one a week before (an earlier hour of the rollup, read from the start).
    const office = '198.18.30.10'
    const before = [event('2026-03-01T08:00:00Z', office, 'o-2@contoso.com', 0), event('2026-02-22T08:00:00Z', office, 'o-5@contoso.com', 50055)]
    await appendAndRecompute(id, 'day-1.json', [...before, ...burst(office, '2026-03-02T09:05:00Z', 15, 'o-')], true)
    expect(await escalations(id)).toEqual([])

    // The next day three probed names sign in from there: the two who always do are at their
    // usual place; the third never had, so the finding is escalated by that one alone.
    const later = ['o-2', 'o-5', 'o-9'].map((u, i) => event(`2026-03-03T09:1${i}:00Z`, office, `${u}@contoso.com`, 0))
    const appended = await appendAndRecompute(id, 'day-2.json', later)
    expect(looked(appended, 'escalations')).toBe(1)
    const scoped = await escalations(id)
    expect(scoped).toEqual([{ ip: office, upn: 'o-9@contoso.com', relation: 'same IP', escalated: true }])

    expect(await recomputeDataset(id, { full: true })).toMatchObject({ status: 'current', run: { full: true } })
    expect(await escalations(id)).toEqual(scoped)
  })

  it("looks again at a campaign's findings when an address that joins it proved a password, not when it only failed", async () => {
    const { id } = await findOrCreateDataset('scoped-campaign-escalations')
    // Three networks probing the same fifteen names: one campaign of overlapping target lists.
    const probe = (ip: string, start: string) => burst(ip, start, 15, 'p')
    await appendAndRecompute(id, 'day-1.json', [...probe('192.0.2.10', '2026-03-02T10:00:00Z'), ...probe('198.51.100.20', '2026-03-02T10:30:00Z')], true)
    expect(await campaignMembers(id)).toBe(2)

    // A third address joins and only fails: its own new finding is looked at, not the campaign's others.
    const failing = await appendAndRecompute(id, 'day-1b.json', probe('203.0.113.30', '2026-03-02T12:00:00Z'))
    expect(await campaignMembers(id)).toBe(3)
    expect(looked(failing, 'escalations')).toBe(1)
    expect(await escalations(id)).toEqual([])

    // An address signs in one of the names at 11:00, then probes with the campaign at 13:00 and
    // joins it: the findings whose probing that success followed are escalated by it, though it
    // lies outside the appended hours.
    await appendAndRecompute(id, 'day-1c.json', [event('2026-03-02T11:00:00Z', '100.64.0.40', 'p3@contoso.com', 0)])
    expect(await escalations(id)).toEqual([])
    const joining = await appendAndRecompute(id, 'day-1d.json', probe('100.64.0.40', '2026-03-02T13:00:00Z'))
    expect(await campaignMembers(id)).toBe(4)
    expect(looked(joining, 'escalations')).toBe(4)
    expect(await escalations(id)).toEqual([
      { ip: '192.0.2.10', upn: 'p3@contoso.com', relation: 'same campaign', escalated: true },
      { ip: '198.51.100.20', upn: 'p3@contoso.com', relation: 'same campaign', escalated: true },
    ])
    const scoped = await escalations(id)
    await recomputeDataset(id, { full: true })
    expect(await escalations(id)).toEqual(scoped)
  })

  it("looks again at a campaign's findings in other networks when one of its addresses later proves a password", async () => {
    const { id } = await findOrCreateDataset('scoped-campaign-success')
    const probe = (ip: string, start: string) => burst(ip, start, 15, 'q')
    await appendAndRecompute(
      id,
      'day-1.json',
      [...probe('192.0.2.10', '2026-03-02T10:00:00Z'), ...probe('198.51.100.20', '2026-03-02T10:30:00Z'), ...probe('203.0.113.30', '2026-03-02T12:00:00Z')],
      true,
    )
    expect(await campaignMembers(id)).toBe(3)
    expect(await escalations(id)).toEqual([])

    // A day later a probed name signs in from the third address, already a member and still mostly
    // failing: the other networks' findings are related to it only through their campaign.
    const success = await appendAndRecompute(id, 'day-2.json', [event('2026-03-03T09:00:00Z', '203.0.113.30', 'q7@contoso.com', 0)])
    expect(looked(success, 'escalations')).toBe(3)
    expect(await escalations(id)).toEqual([
      { ip: '192.0.2.10', upn: 'q7@contoso.com', relation: 'same campaign', escalated: true },
      { ip: '198.51.100.20', upn: 'q7@contoso.com', relation: 'same campaign', escalated: true },
      { ip: '203.0.113.30', upn: 'q7@contoso.com', relation: 'same IP', escalated: true },
    ])
    const scoped = await escalations(id)
    await recomputeDataset(id, { full: true })
    expect(await escalations(id)).toEqual(scoped)
  })
})

describe('the yield after an append', () => {
  const yields = async (datasetId: number) =>
    query<{ bucket: Date; confirmed: number; notFound: number }>(
      `SELECT bucket, confirmed_accounts AS confirmed, not_found_usernames AS "notFound" FROM findings WHERE dataset_id = $1 ORDER BY bucket, kind`,
      [datasetId],
    )

  it("looks only at the findings the append can change, not every finding of the source's, and equals a recompute from scratch", async () => {
    const { id } = await findOrCreateDataset('scoped-yield')
    // One source, a burst a day: a finding a day.
    const day = (d: number) => burst('198.19.7.10', `2026-03-0${d}T09:05:00Z`, 15, `d${d}-`)
    const first = await appendAndRecompute(id, 'day-1.json', [...day(1), ...day(2)], true)
    expect(looked(first, 'yield')).toBe(2)

    // A third day from the same source: only its new finding is measured, the first two days'
    // findings are not read again.
    const third = await appendAndRecompute(id, 'day-3.json', day(3))
    expect(looked(third, 'yield')).toBe(1)
    const scoped = await yields(id)
    expect(scoped).toHaveLength(3)
    expect(scoped.every((f) => f.notFound === 15 && f.confirmed === 0)).toBe(true)

    const full = await recomputeDataset(id, { full: true })
    expect(looked(full, 'yield')).toBe(3)
    expect(await yields(id)).toEqual(scoped)
  })
})

describe('the campaigns after an append', () => {
  const campaigns = async (datasetId: number) =>
    query<{ sources: number; usernames: number; attempts: number; cadence: number | null; reasons: string[] }>(
      `SELECT source_count AS sources, unique_usernames AS usernames, attempts, cadence_seconds AS cadence, reasons
         FROM campaigns WHERE dataset_id = $1 ORDER BY campaign_key`,
      [datasetId],
    )
  const measures = async (datasetId: number) =>
    query<{ ip: string; asn: boolean; cadence: boolean; times: number | null; profile: boolean; names: number }>(
      `SELECT host(ip_address) AS ip, events_asn_known AS asn, cadence_known AS cadence, cardinality(failure_times) AS times,
              profile_known AS profile,
              coalesce(cardinality(usernames), 0) AS names
         FROM campaign_source_totals t WHERE dataset_id = $1 AND failed > 0 ORDER BY ip_address`,
      [datasetId],
    )
  /** `count` failures from `ip`, `everySeconds` apart, names `${prefix}0…`. */
  const steady = (ip: string, start: string, count: number, everySeconds: number, prefix: string, code = 50126) =>
    Array.from({ length: count }, (_, i) => event(new Date(Date.parse(start) + i * everySeconds * 1000).toISOString(), ip, `${prefix}${i}@contoso.com`, code))

  it('re-reads only the sources whose addresses got events, and equals a recompute from scratch', async () => {
    const { id } = await findOrCreateDataset('scoped-campaigns')
    // One tool from two addresses of a /24, every 30 s: one campaign; a third address elsewhere.
    await appendAndRecompute(
      id,
      'day-1.json',
      [...steady('192.0.2.10', '2026-03-02T10:00:00Z', 10, 30, 'a'), ...steady('192.0.2.11', '2026-03-02T10:00:10Z', 10, 30, 'b'), ...steady('198.51.100.7', '2026-03-02T10:00:00Z', 6, 30, 'c')],
      true,
    )
    const before = await campaigns(id)
    expect(before).toHaveLength(1)
    expect(before[0]).toMatchObject({ sources: 2, usernames: 20, attempts: 20 })
    // What the events and the rollup said of each campaign source is kept: its ASN, profile and
    // usernames; its cadence when it has a neighbour; its failure times when it is in a component.
    expect(await measures(id)).toEqual([
      { ip: '192.0.2.10', asn: true, cadence: true, times: 10, profile: true, names: 10 },
      { ip: '192.0.2.11', asn: true, cadence: true, times: 10, profile: true, names: 10 },
      { ip: '198.51.100.7', asn: true, cadence: false, times: null, profile: true, names: 6 },
    ])

    // An hour later the first address goes on at another rhythm: its sources are measured again
    // (the campaign's attempts and cadence change); the second address's are taken as kept.
    await appendAndRecompute(id, 'day-1b.json', steady('192.0.2.10', '2026-03-02T11:00:00Z', 12, 90, 'd'))
    const scoped = await campaigns(id)
    expect(scoped[0]).toMatchObject({ sources: 2, usernames: 32, attempts: 32 })
    expect(scoped[0].cadence).not.toBe(before[0].cadence)
    expect(await measures(id)).toEqual([
      { ip: '192.0.2.10', asn: true, cadence: true, times: 22, profile: true, names: 22 },
      { ip: '192.0.2.11', asn: true, cadence: true, times: 10, profile: true, names: 10 },
      { ip: '198.51.100.7', asn: true, cadence: false, times: null, profile: true, names: 6 },
    ])

    // The same as a recompute from scratch.
    expect(await recomputeDataset(id, { full: true })).toMatchObject({ status: 'current', run: { full: true } })
    expect(await campaigns(id)).toEqual(scoped)
  })

  it("adds the appended failures to a source's kept failure times, earlier ones in their place, as its events give them", async () => {
    const { id } = await findOrCreateDataset('kept-failure-times')
    await appendAndRecompute(id, 'day-1.json', [...steady('192.0.2.20', '2026-03-02T10:00:00Z', 10, 30, 'a'), ...steady('192.0.2.21', '2026-03-02T10:00:10Z', 10, 30, 'b')], true)
    const times = () =>
      query<{ ip: string; times: string[] }>(
        `SELECT host(ip_address) AS ip, ARRAY(SELECT to_char(x AT TIME ZONE 'UTC', 'HH24:MI:SS') FROM unnest(failure_times) AS x) AS times
           FROM campaign_source_totals WHERE dataset_id = $1 AND failure_times IS NOT NULL ORDER BY ip_address`,
        [id],
      )
    /** The source's failures as its events give them: the campaign codes, with a username. */
    const fromEvents = async (ip: string) =>
      (
        await query<{ times: string[] }>(
          `SELECT array_agg(to_char(created_at AT TIME ZONE 'UTC', 'HH24:MI:SS') ORDER BY created_at) AS times
             FROM sign_in_events WHERE dataset_id = $1 AND ip_address = $2::inet AND user_principal_name <> ''
              AND error_code IN ('50034', '50053', '50055', '50056', '50126', '50057')`,
          [id, ip],
        )
      )[0].times
    expect((await times()).map((t) => t.times.length)).toEqual([10, 10])
    // Marks what is kept, so kept times show apart from times read again from the events.
    await query(`UPDATE campaign_source_totals SET failure_times = failure_times || '2026-03-02T23:59:59Z'::timestamptz WHERE dataset_id = $1 AND ip_address = '192.0.2.20'`, [id])
    // A file with the first address's failures before and after the kept ones, a success and a
    // failure without a username (neither is a failure time).
    await appendAndRecompute(id, 'more.json', [
      ...steady('192.0.2.20', '2026-03-02T09:00:00Z', 3, 30, 'c'),
      ...steady('192.0.2.20', '2026-03-02T11:00:00Z', 3, 30, 'd'),
      event('2026-03-02T11:30:00Z', '192.0.2.20', 'e@contoso.com', 0),
      event('2026-03-02T11:31:00Z', '192.0.2.20', '', 50126),
    ])
    const [first, second] = await times()
    expect(first.times).toEqual([...(await fromEvents('192.0.2.20')), '23:59:59'])
    expect(first.times.slice(0, 4)).toEqual(['09:00:00', '09:00:30', '09:01:00', '10:00:00'])
    expect(second.times).toEqual(await fromEvents('192.0.2.21'))
    // A recompute from scratch reads them all again.
    expect(await recomputeDataset(id, { full: true })).toMatchObject({ status: 'current', run: { full: true } })
    expect((await times())[0].times).toEqual(await fromEvents('192.0.2.20'))
  })

  it("extends a campaign's timeline and confirmed accounts by the appended hours and the source that joined, as a rebuild gives them", async () => {
    const { id } = await findOrCreateDataset('extended-details')
    const day1 = [
      ...steady('192.0.2.10', '2026-03-02T10:00:00Z', 10, 30, 'a', 50034),
      ...steady('192.0.2.11', '2026-03-02T10:00:10Z', 10, 30, 'b', 50034),
      event('2026-03-02T10:06:00Z', '192.0.2.10', 'a0@contoso.com', 50056),
    ]
    await appendAndRecompute(id, 'day-1.json', day1, true)
    const hours = () =>
      query<{ bucket: Date; ip: string; attempts: number }>(
        `SELECT h.bucket, h.ip_address AS ip, h.attempts FROM campaign_hours h JOIN campaigns c ON c.id = h.campaign_id
          WHERE c.dataset_id = $1 ORDER BY h.bucket, h.ip_address`,
        [id],
      )
    const accounts = () =>
      query<{ upn: string; codes: string[]; attempts: number; first: Date; last: Date; ips: string[] }>(
        `SELECT a.user_principal_name AS upn, a.error_codes AS codes, a.attempts, a.first_probed AS first, a.last_probed AS last, a.source_ips AS ips
           FROM campaign_accounts a JOIN campaigns c ON c.id = a.campaign_id WHERE c.dataset_id = $1 ORDER BY a.user_principal_name`,
        [id],
      )
    expect(await accounts()).toMatchObject([{ upn: 'a0@contoso.com', codes: ['50056'], attempts: 1, ips: ['192.0.2.10'] }])
    // Marks an hour the append does not reach: extended, the campaign keeps the mark; rebuilt, it would not.
    await query(`UPDATE campaign_hours SET attempts = attempts + 1000 WHERE ip_address = '192.0.2.11'`)

    // An hour later the first address goes on and confirms a0 again; a third address of the /24
    // joins with the same tool and confirms a1.
    await appendAndRecompute(id, 'day-1b.json', [
      ...steady('192.0.2.10', '2026-03-02T11:00:00Z', 12, 90, 'd', 50034),
      event('2026-03-02T11:30:00Z', '192.0.2.10', 'a0@contoso.com', 50053),
      ...steady('192.0.2.12', '2026-03-02T11:10:00Z', 6, 30, 'e', 50034),
      event('2026-03-02T11:20:00Z', '192.0.2.12', 'a1@contoso.com', 50056),
    ])
    const [campaign] = await query<{ sources: number }>('SELECT source_count AS sources FROM campaigns WHERE dataset_id = $1', [id])
    expect(campaign.sources).toBe(3)
    const extended = await hours()
    expect(extended.find((h) => h.ip === '192.0.2.11')?.attempts).toBe(1010)
    expect(extended.map((h) => `${h.bucket.toISOString().slice(11, 16)} ${h.ip}`)).toEqual([
      '10:00 192.0.2.10', '10:00 192.0.2.11', '11:00 192.0.2.10', '11:00 192.0.2.12',
    ])
    expect(await accounts()).toMatchObject([
      { upn: 'a0@contoso.com', codes: ['50053', '50056'], attempts: 2, ips: ['192.0.2.10'] },
      { upn: 'a1@contoso.com', codes: ['50056'], attempts: 1, ips: ['192.0.2.12'] },
    ])

    // Without the mark, what was extended equals a rebuild from every rollup row.
    await query(`UPDATE campaign_hours SET attempts = attempts - 1000 WHERE ip_address = '192.0.2.11'`)
    const [kept, keptAccounts] = [await hours(), await accounts()]
    await query('DELETE FROM campaign_details_state')
    await recomputeDataset(id, { full: true })
    expect(await hours()).toEqual(kept)
    expect(await accounts()).toEqual(keptAccounts)
  })

  it('links sources that tried a username longer than a btree row', async () => {
    const { id } = await findOrCreateDataset('long-username')
    // Attacker-chosen text of 4,000 random characters: no index over the usernames may hold it.
    const long = `${randomBytes(2000).toString('hex')}@contoso.com`
    await appendAndRecompute(
      id,
      'day-1.json',
      [
        ...steady('192.0.2.10', '2026-03-02T10:00:00Z', 10, 30, 'a'),
        ...steady('192.0.2.11', '2026-03-02T10:00:10Z', 10, 30, 'b'),
        event('2026-03-02T10:06:00Z', '192.0.2.10', long, 50126),
        event('2026-03-02T10:06:05Z', '192.0.2.11', long, 50126),
      ],
      true,
    )
    expect(await campaigns(id)).toMatchObject([{ sources: 2, usernames: 21 }])
  })

  it("takes an address's autonomous system from its first 1,000 events that carry one", async () => {
    const { id } = await findOrCreateDataset('first-events-asn')
    // 1,000 failures tagged AS 64500, then 1,500 tagged AS 64501 (most of all of them).
    const tagged = (i: number, asn: number) =>
      graphRecord(record++, {
        id: `asn-${record}`,
        createdDateTime: new Date(Date.parse('2026-03-02T10:00:00Z') + i * 1000).toISOString(),
        ipAddress: '192.0.2.40',
        userPrincipalName: `n${i % 40}@contoso.com`,
        autonomousSystemNumber: asn,
        status: { errorCode: 50126 },
      })
    await appendAndRecompute(id, 'asn.json', Array.from({ length: 2500 }, (_, i) => tagged(i, i < 1000 ? 64500 : 64501)), true)
    const [source] = await query<{ asn: number }>(`SELECT events_asn AS asn FROM campaign_source_totals WHERE dataset_id = $1 AND events_asn_known`, [id])
    expect(source.asn).toBe(64500)
  })

  it("keeps an address's autonomous system across an append whose events carry the same one or none, and reads it again when they carry another", async () => {
    const { id } = await findOrCreateDataset('kept-asn')
    const tagged = (minute: number, count: number, asn: number | undefined, prefix: string) =>
      Array.from({ length: count }, (_, i) =>
        graphRecord(record++, {
          id: `kept-asn-${record}`,
          createdDateTime: new Date(Date.parse('2026-03-02T10:00:00Z') + (minute + i) * 60_000).toISOString(),
          ipAddress: '192.0.2.41',
          userPrincipalName: `${prefix}${i}@contoso.com`,
          ...(asn === undefined ? {} : { autonomousSystemNumber: asn }),
          status: { errorCode: 50126 },
        }),
      )
    const kept = () => query<{ asn: number | null; known: boolean }>(`SELECT events_asn AS asn, events_asn_known AS known FROM campaign_source_totals WHERE dataset_id = $1`, [id])
    await appendAndRecompute(id, 'first.json', tagged(0, 6, 64500, 'a'), true)
    expect(await kept()).toEqual([{ asn: 64500, known: true }])
    // Marks what is kept, so a kept ASN shows apart from one read again from the events.
    await query('UPDATE campaign_source_totals SET events_asn = 64999 WHERE dataset_id = $1', [id])
    await appendAndRecompute(id, 'untagged.json', tagged(60, 4, undefined, 'b'))
    expect(await kept()).toEqual([{ asn: 64999, known: true }])
    await appendAndRecompute(id, 'same.json', tagged(120, 4, 64999, 'c'))
    expect(await kept()).toEqual([{ asn: 64999, known: true }])
    // Events of another AS can change which one most of the first events carry: read again
    // (6 × 64500, 4 × 64999, 12 × 64501), as a recompute from scratch reads it.
    await appendAndRecompute(id, 'other.json', tagged(180, 12, 64501, 'd'))
    expect(await kept()).toEqual([{ asn: 64501, known: true }])
    expect(await recomputeDataset(id, { full: true })).toMatchObject({ status: 'current', run: { full: true } })
    expect(await kept()).toEqual([{ asn: 64501, known: true }])
  })

  describe('an append that reaches no campaign source', () => {
    /** `count` sign-ins of people at `ip` from `start` a minute apart, names `${prefix}0…`: successes, or failures of `code`. */
    const people = (ip: string, start: string, count: number, prefix: string, code = 0, overrides: Record<string, unknown> = {}) =>
      Array.from({ length: count }, (_, i) =>
        graphRecord(record++, {
          id: `people-${record}`,
          createdDateTime: new Date(Date.parse(start) + i * 60_000).toISOString(),
          ipAddress: ip,
          userPrincipalName: `${prefix}${i}@contoso.com`,
          userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/120',
          clientAppUsed: 'Browser',
          status: { errorCode: code },
          ...overrides,
        }),
      )
    const links = (datasetId: number) =>
      query<{ ip: string; bucket: string; linked: boolean }>(
        `SELECT host(ip_address) AS ip, bucket::text, campaign_id IS NOT NULL AS linked FROM findings WHERE dataset_id = $1 ORDER BY 1, 2`,
        [datasetId],
      )
    /** A tool from two addresses of a /24 probing with the rule's codes (a finding each), and an office. */
    async function campaignAndOffice(name: string): Promise<number> {
      const { id } = await findOrCreateDataset(name)
      await appendAndRecompute(
        id,
        'day-1.json',
        [
          ...steady('192.0.2.10', '2026-03-02T10:00:00Z', 12, 30, 'a', 50034),
          ...steady('192.0.2.11', '2026-03-02T10:00:10Z', 12, 30, 'b', 50034),
          ...people('203.0.113.5', '2026-03-02T09:00:00Z', 40, 'p'),
        ],
        true,
      )
      expect(await campaigns(id)).toEqual([expect.objectContaining({ sources: 2, usernames: 24 })])
      expect(await links(id)).toEqual([
        { ip: '192.0.2.10', bucket: '2026-03-02 10:00:00+00', linked: true },
        { ip: '192.0.2.11', bucket: '2026-03-02 10:00:00+00', linked: true },
      ])
      return id
    }

    it("leaves the campaigns as they are, links the append's new findings as their sources are, and equals a recompute from scratch", async () => {
      const id = await campaignAndOffice('people-only')
      const before = { ...campaignRuns }
      // The next hour: people at the office, ten of them mistyping a password (a finding of the
      // rule from an address whose sign-ins mostly succeed: no campaign source), and people at home.
      await appendAndRecompute(id, 'hour-2.json', [
        ...people('203.0.113.5', '2026-03-02T11:00:00Z', 40, 'q'),
        ...people('203.0.113.5', '2026-03-02T11:05:00Z', 10, 'r', 50126),
        ...people('203.0.113.5', '2026-03-02T11:10:00Z', 10, 's', 50034),
        ...people('198.51.100.30', '2026-03-02T11:00:00Z', 5, 't'),
      ])
      expect(campaignRuns).toEqual({ refreshed: before.refreshed, kept: before.kept + 1 })
      const kept = { campaigns: await campaigns(id), links: await links(id), escalations: await escalations(id) }
      expect(kept.links).toEqual([
        { ip: '192.0.2.10', bucket: '2026-03-02 10:00:00+00', linked: true },
        { ip: '192.0.2.11', bucket: '2026-03-02 10:00:00+00', linked: true },
        { ip: '203.0.113.5', bucket: '2026-03-02 11:00:00+00', linked: false },
      ])

      expect(await recomputeDataset(id, { full: true })).toMatchObject({ status: 'current', run: { full: true } })
      expect({ campaigns: await campaigns(id), links: await links(id), escalations: await escalations(id) }).toEqual(kept)
    })

    it('links and measures again when a campaign source no longer mostly fails, and equals a recompute from scratch', async () => {
      const id = await campaignAndOffice('member-succeeds')
      const before = { ...campaignRuns }
      // The second address's source signs in 30 times: it mostly succeeds and leaves; one source is no campaign.
      await appendAndRecompute(
        id,
        'hour-2.json',
        Array.from({ length: 30 }, (_, i) => event(new Date(Date.parse('2026-03-02T11:00:00Z') + i * 60_000).toISOString(), '192.0.2.11', `b${i}@contoso.com`, 0)),
      )
      expect(campaignRuns.refreshed).toBe(before.refreshed + 1)
      expect(await campaigns(id)).toEqual([])
      const after = await links(id)
      expect(after.filter((l) => l.linked)).toEqual([])
      expect(await recomputeDataset(id, { full: true })).toMatchObject({ status: 'current', run: { full: true } })
      expect(await campaigns(id)).toEqual([])
      expect(await links(id)).toEqual(after)
    })

    it("links and measures again when people's events at a campaign source's address carry another autonomous system", async () => {
      const id = await campaignAndOffice('member-address-asn')
      const before = { ...campaignRuns }
      // Another source at the first address (people, a browser): not the campaign's source, but its
      // events name another AS than the one kept for the address, which the campaign source takes.
      await appendAndRecompute(id, 'hour-2.json', people('192.0.2.10', '2026-03-02T11:00:00Z', 5, 'u', 0, { autonomousSystemNumber: 64511 }))
      expect(campaignRuns.refreshed).toBe(before.refreshed + 1)
      const scoped = await campaigns(id)
      expect(await recomputeDataset(id, { full: true })).toMatchObject({ status: 'current', run: { full: true } })
      expect(await campaigns(id)).toEqual(scoped)

      // The same people once more, with the AS now kept: nothing of the campaigns can change.
      const again = { ...campaignRuns }
      await appendAndRecompute(id, 'hour-3.json', people('192.0.2.10', '2026-03-02T12:00:00Z', 5, 'v', 0, { autonomousSystemNumber: 64511 }))
      expect(campaignRuns).toEqual({ refreshed: again.refreshed, kept: again.kept + 1 })
    })
  })

  it('takes what it kept of the sources an append did not reach instead of reading their rollup rows again', async () => {
    const { id } = await findOrCreateDataset('kept-profiles')
    await appendAndRecompute(id, 'day-1.json', [...steady('192.0.2.10', '2026-03-02T10:00:00Z', 10, 30, 'a'), ...steady('192.0.2.11', '2026-03-02T10:00:10Z', 10, 30, 'b')], true)
    // Marks what is kept of the second address's source: a profile that says 110 usernames, and
    // the last of its usernames gone. Read again from the rollup, neither mark would show.
    await query(`UPDATE campaign_source_totals SET unique_usernames = unique_usernames + 100 WHERE dataset_id = $1 AND ip_address = '192.0.2.11'`, [id])
    await query(
      `UPDATE campaign_source_totals SET usernames = usernames[1:9], usernames_exist = usernames_exist[1:9], usernames_not_found = usernames_not_found[1:9]
        WHERE dataset_id = $1 AND ip_address = '192.0.2.11'`,
      [id],
    )
    const sources = () =>
      query<{ ip: string; usernames: number }>(
        `SELECT host(s.ip_address) AS ip, s.unique_usernames AS usernames
           FROM campaign_sources s JOIN campaigns c ON c.id = s.campaign_id WHERE c.dataset_id = $1 ORDER BY s.ip_address`,
        [id],
      )

    // The first address goes on: only its source is read again.
    await appendAndRecompute(id, 'day-1b.json', steady('192.0.2.10', '2026-03-02T11:00:00Z', 12, 90, 'd'))
    expect(await sources()).toEqual([
      { ip: '192.0.2.10', usernames: 22 },
      { ip: '192.0.2.11', usernames: 110 },
    ])
    expect((await campaigns(id))[0]).toMatchObject({ sources: 2, usernames: 31 })

    // A recompute from scratch reads every source again.
    await recomputeDataset(id, { full: true })
    expect(await sources()).toEqual([
      { ip: '192.0.2.10', usernames: 22 },
      { ip: '192.0.2.11', usernames: 10 },
    ])
    expect((await campaigns(id))[0]).toMatchObject({ sources: 2, usernames: 32 })
  })
})
