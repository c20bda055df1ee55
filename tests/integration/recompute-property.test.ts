import { beforeAll, describe, expect, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { derivedState } from '@/lib/derive/derived-state'
import { recomputeDataset } from '@/lib/derive/recompute'
import { campaignDetailsRuns } from '@/lib/campaigns/campaign-details'
import { campaignRuns } from '@/lib/campaigns/refresh-campaigns'
import { slidingAfterAppendRuns } from '@/lib/derive/sliding-after-append'
import { ingest } from '@/lib/ingest/pipeline'
import { ndjson, once, query } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// Correctness at scale, as a property: multi-day data with bursts, neighbours in one /24,
// campaigns over rotating addresses, slow probing and follow-on successes, cut into files of
// random sizes imported in random order. After every append the incremental recompute must
// equal a recompute from scratch, every import and recompute must succeed (no derived row
// violates a constraint), and the hourly findings must equal the rule computed here, in
// TypeScript, straight from the events. A failure prints its seed: ET_PROPERTY_SEED=<seed>
// reproduces it.
useTestDatabase()

const SEED = Number(process.env.ET_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31))
const ROUNDS = Number(process.env.ET_PROPERTY_ROUNDS ?? 2)

function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Event {
  id: string
  at: number
  upn: string
  ip: string
  client: string
  ua: string
  app: string
  code: string
}

const RULE_CODES = new Set(['50034', '50053', '50055', '50056'])
const HOUR = 3_600_000
const START = Date.parse('2026-03-02T00:00:00Z')
const DAYS = 3
const TOOLS = ['python-requests/2.31', 'Go-http-client/1.1', 'curl/8.4.0', 'Mozilla/5.0 (X11; Linux x86_64)']
const CLIENTS = ['Mobile Apps and Desktop clients', 'Browser', 'Exchange ActiveSync']

/** The generated incident: every event once, in no particular order. */
function generate(random: () => number): Event[] {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]
  const users = Array.from({ length: 400 }, (_, i) => `user${i}@contoso.com`)
  const events: Event[] = []
  const add = (e: Omit<Event, 'id'>) => events.push({ ...e, id: `p-${events.length}` })
  const someUsers = (n: number) => Array.from({ length: n }, () => pick(users))
  const span = DAYS * 24 * HOUR

  // Office traffic: people signing in, mostly successfully, a few typos, from a few NATs.
  for (let i = 0; i < 1200; i++) {
    add({ at: START + int(0, span - 1), upn: pick(users), ip: `192.0.2.${int(1, 4)}`, client: 'Browser', ua: 'Mozilla/5.0 (Windows NT 10.0)', app: 'Office 365', code: random() < 0.9 ? '0' : pick(['50126', '50053', '50034']) })
  }
  // Bursts from single addresses: any size around the thresholds, anywhere (across hour edges).
  const bursts: { ip: string; at: number; names: string[] }[] = []
  for (let b = 0; b < 14; b++) {
    const ip = `198.18.${int(0, 3)}.${int(1, 250)}`
    const at = START + int(0, span - 2 * HOUR)
    const length = int(5, 90) * 60_000
    const names = someUsers(int(6, 60))
    const ua = pick(TOOLS)
    const client = pick(CLIENTS)
    for (const upn of names) for (let k = int(1, 2); k > 0; k--) add({ at: at + int(0, length), upn, ip, client, ua, app: 'Azure Active Directory PowerShell', code: pick(['50034', '50034', '50126', '50053', '50056']) })
    bursts.push({ ip, at: at + length, names })
  }
  // Neighbours in one /24: the same tool from several addresses at once.
  const neighbourNames = someUsers(40)
  for (let n = 1; n <= int(3, 6); n++) {
    const at = START + 30 * HOUR + int(0, 4) * HOUR
    for (const upn of neighbourNames.slice(0, int(8, 40))) add({ at: at + int(0, 50 * 60_000), upn, ip: `203.0.113.${n * 7}`, client: CLIENTS[0], ua: 'python-requests/2.31', app: 'Microsoft Authentication Broker', code: pick(['50034', '50126']) })
    bursts.push({ ip: `203.0.113.${n * 7}`, at: at + HOUR, names: neighbourNames })
  }
  // Bursts across an hour's edge: a few names before it and a few after, which no fixed hour
  // holds enough of and a sliding window sees whole; some twice within hours (peaks to choose).
  for (let b = 0; b < 2; b++) {
    const ip = `198.20.${b}.${int(1, 250)}`
    const ua = pick(TOOLS)
    // 16 distinct names: 8 either side of the edge, under the threshold in each hour.
    const names = users.slice(int(0, users.length - 16)).slice(0, 16)
    const edge = START + int(2, DAYS * 24 - 5) * HOUR
    for (let again = int(1, 2); again > 0; again--) {
      // Two hours or more later: one hour later would put the repeat's first half in the hour of
      // the first run's second half, 16 names in that hour, an hourly finding and no sliding one.
      const shift = again === 2 ? int(2, 3) * HOUR : 0
      names.forEach((upn, i) => add({ at: edge + shift + (i < names.length / 2 ? -int(1, 9) : int(0, 8)) * 60_000, upn, ip, client: CLIENTS[0], ua, app: 'Azure Active Directory PowerShell', code: '50034' }))
    }
  }
  // A campaign: rotating addresses and user agents over overlapping targets at a steady cadence.
  const targets = someUsers(60)
  for (let r = 0; r < 8; r++) {
    const ip = `100.64.${r}.${int(1, 250)}`
    const ua = `Mozilla/5.0 (rotating ${r})`
    let at = START + 10 * HOUR + r * 3 * HOUR
    for (const upn of targets.slice(r * 4, r * 4 + 20)) {
      add({ at, upn, ip, client: CLIENTS[0], ua, app: 'Azure Active Directory PowerShell', code: random() < 0.8 ? '50034' : '50126' })
      at += 45_000
    }
  }
  // Low and slow: a few new names every hour for many hours from one address.
  // Three or four new names an hour: no 60-minute window holds 10 (no hourly or sliding finding
  // to absorb it), and 10 to 14 hours hold 30 or more, past the long window's Low tier.
  const slowIp = `198.51.100.${int(1, 250)}`
  const slowNames = users.slice(int(0, users.length - 60))
  for (let h = 0, hours = int(10, 14); h < hours; h++) {
    for (let k = int(3, 4); k > 0; k--) add({ at: START + 40 * HOUR + h * HOUR + int(0, HOUR - 1), upn: slowNames.shift()!, ip: slowIp, client: CLIENTS[0], ua: 'Go-http-client/1.1', app: 'Azure Active Directory PowerShell', code: '50034' })
  }
  // A steady prober: about a dozen names every 50 minutes for hours on end, so its sliding windows
  // chain into one long cluster that an append in its middle reaches from end to end (and, when
  // long, past the margin the scoped sliding windows read: lib/derive/sliding-after-append.ts).
  const steadyIp = `198.51.101.${int(1, 250)}`
  const steadyStart = START + int(0, 40) * HOUR + int(0, HOUR - 1)
  for (let at = steadyStart, end = steadyStart + int(3, 20) * HOUR; at < end && at < START + span; at += 50 * 60_000) {
    for (const upn of someUsers(int(8, 14))) add({ at: at + int(0, 20 * 60_000), upn, ip: steadyIp, client: CLIENTS[1], ua: 'curl/8.4.0', app: 'Azure Active Directory PowerShell', code: pick(['50034', '50053']) })
  }
  // Follow-on successes: a probed name signs in later from the burst's address, a neighbour or the office.
  for (const burst of bursts) {
    for (const upn of burst.names.slice(0, int(0, 4))) {
      const octets = burst.ip.split('.')
      const from = pick([burst.ip, `${octets.slice(0, 3).join('.')}.${int(1, 250)}`, '192.0.2.1'])
      add({ at: Math.min(burst.at + int(1, 20) * HOUR, START + span - 1), upn, ip: from, client: 'Browser', ua: 'Mozilla/5.0 (Windows NT 10.0)', app: 'Office 365', code: pick(['0', '50055', '50140']) })
    }
  }
  // Bursts alone in their /24, so nothing else near them is appended with what changes them:
  //  - a probed name proves its password right from the burst's address a day or two later,
  //    usually in a later file than the finding (an old finding escalated by a new success);
  //  - a neighbour address signs a probed name in, between failures and successes spread over
  //    the days, about as many of each: whether most of its sign-ins fail (attacker
  //    infrastructure, which escalates the burst's finding) flips with the files imported so far.
  for (let b = 0; b < 3; b++) {
    const ip = `198.19.${b}.10`
    const neighbour = `198.19.${b}.11`
    const at = START + int(0, 36) * HOUR + int(0, HOUR - 1)
    const names = [...new Set(someUsers(int(20, 40)))]
    const ua = pick(TOOLS)
    for (const upn of names) add({ at: at + int(0, 20 * 60_000), upn, ip, client: CLIENTS[0], ua, app: 'Azure Active Directory PowerShell', code: pick(['50034', '50053']) })
    add({ at: Math.min(at + int(20, 40) * HOUR, START + span - 1), upn: names[names.length - 1], ip, client: 'Browser', ua: 'Mozilla/5.0 (Windows NT 10.0)', app: 'Office 365', code: pick(['0', '50076']) })
    add({ at: Math.min(at + int(1, 30) * HOUR, START + span - 1), upn: names[0], ip: neighbour, client: 'Browser', ua: 'Mozilla/5.0 (Windows NT 10.0)', app: 'Office 365', code: '0' })
    for (let k = int(0, 3); k > 0; k--) add({ at: START + int(0, span - 1), upn: pick(users), ip: neighbour, client: 'Browser', ua: 'Mozilla/5.0 (Windows NT 10.0)', app: 'Office 365', code: '0' })
    for (let k = int(1, 5); k > 0; k--) add({ at: START + int(0, span - 1), upn: pick(users), ip: neighbour, client: 'Browser', ua: 'Mozilla/5.0 (Windows NT 10.0)', app: 'Office 365', code: '50126' })
  }
  return events
}

/** The events cut into files of random sizes (each a random slice of time), in random order. */
function files(events: Event[], random: () => number): Event[][] {
  const sorted = [...events].sort((a, b) => a.at - b.at)
  const cuts = new Set<number>()
  const count = 3 + Math.floor(random() * 4)
  while (cuts.size < count - 1) cuts.add(1 + Math.floor(random() * (sorted.length - 1)))
  const edges = [0, ...[...cuts].sort((a, b) => a - b), sorted.length]
  const parts = edges.slice(1).map((end, i) => sorted.slice(edges[i], end))
  for (let i = parts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[parts[i], parts[j]] = [parts[j], parts[i]]
  }
  // A shuffled record order inside a file, as exports from several sources merged would have.
  return parts.map((p) => [...p].sort(() => random() - 0.5))
}

const graph = (e: Event) => ({
  id: e.id,
  createdDateTime: new Date(e.at).toISOString(),
  userPrincipalName: e.upn,
  ipAddress: e.ip,
  clientAppUsed: e.client,
  userAgent: e.ua,
  appDisplayName: e.app,
  status: { errorCode: Number(e.code) },
})

/** The reference rule, here in TypeScript from the events alone. */
function ruleFindings(events: Event[]) {
  const groups = new Map<string, { bucket: number; ip: string; client: string; ua: string; users: Set<string>; attempts: number; first: number; last: number }>()
  for (const e of events) {
    if (!RULE_CODES.has(e.code) || e.upn === '') continue
    const bucket = Math.floor(e.at / HOUR) * HOUR
    const key = JSON.stringify([bucket, e.ip, e.client, e.ua])
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { bucket, ip: e.ip, client: e.client, ua: e.ua, users: new Set(), attempts: 0, first: e.at, last: e.at }))
    g.users.add(e.upn)
    g.attempts++
    g.first = Math.min(g.first, e.at)
    g.last = Math.max(g.last, e.at)
  }
  return [...groups.values()]
    .filter((g) => g.users.size >= 10)
    .map((g) => ({
      bucket: new Date(g.bucket).toISOString(),
      ip: g.ip,
      client: g.client,
      ua: g.ua,
      users: g.users.size,
      attempts: g.attempts,
      first: new Date(g.first).toISOString(),
      last: new Date(g.last).toISOString(),
      verdict: g.users.size >= 50 ? 'High Confidence Enumeration' : g.users.size >= 20 ? 'Moderate Enumeration' : 'Low-Level Enumeration',
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

async function storedHourly(datasetId: number) {
  const rows = await query<{ bucket: Date; ip: string; client: string; ua: string; users: number; attempts: number; first: Date; last: Date; verdict: string }>(
    `SELECT bucket, host(ip_address) AS ip, client_app_used AS client, user_agent AS ua, unique_usernames AS users, attempt_count AS attempts,
            first_seen AS first, last_seen AS last, verdict
       FROM findings WHERE dataset_id = $1 AND kind = 'hourly'`,
    [datasetId],
  )
  return rows
    .map((r) => ({ ...r, bucket: r.bucket.toISOString(), first: r.first.toISOString(), last: r.last.toISOString() }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

/** Every derived table of a dataset, without ids, so two datasets can be compared. */
async function derived(datasetId: number) {
  const findings = await query(
    `SELECT f.kind, f.bucket, host(f.ip_address) AS ip, f.client_app_used, f.user_agent, f.unique_usernames, f.attempt_count,
            f.username_sample, f.app_list, f.first_seen, f.last_seen, f.duration_minutes, f.enumeration_rate_per_min, f.verdict,
            f.window_minutes, f.sliding_peak_usernames, f.sliding_peak_start, f.sliding_verdict, f.confirmed_accounts,
            f.not_found_usernames, f.escalated, f.suppressed_by_id, c.campaign_key,
            (SELECT coalesce(json_agg(json_build_array(e.user_principal_name, e.event_time, e.error_code, host(e.ip_address), e.relation)
                     ORDER BY e.user_principal_name, e.event_time), '[]') FROM finding_escalations e WHERE e.finding_id = f.id) AS escalations
       FROM findings f LEFT JOIN campaigns c ON c.id = f.campaign_id
      WHERE f.dataset_id = $1
      ORDER BY f.kind, f.bucket, ip, f.client_app_used, f.user_agent`,
    [datasetId],
  )
  const campaigns = await query(
    `SELECT c.campaign_key, c.first_seen, c.last_seen, c.ip_count, c.user_agent_count, c.source_count, c.unique_usernames, c.attempts,
            c.confirmed_accounts, c.not_found_usernames, c.verdict, c.reasons, c.cadence_seconds,
            (SELECT json_agg(json_build_array(host(s.ip_address), s.client_app_used, s.user_agent, s.unique_usernames, s.attempts)
                     ORDER BY host(s.ip_address), s.client_app_used, s.user_agent) FROM campaign_sources s WHERE s.campaign_id = c.id) AS sources,
            (SELECT json_agg(json_build_array(h.bucket, h.ip_address, h.attempts) ORDER BY h.bucket, h.ip_address)
               FROM campaign_hours h WHERE h.campaign_id = c.id) AS hours,
            (SELECT json_agg(json_build_array(a.user_principal_name, a.error_codes, a.attempts, a.first_probed, a.last_probed, a.source_ips)
                     ORDER BY a.user_principal_name) FROM campaign_accounts a WHERE a.campaign_id = c.id) AS accounts
       FROM campaigns c WHERE c.dataset_id = $1 ORDER BY c.campaign_key`,
    [datasetId],
  )
  // Which sources mostly fail: added up from the appended events after an append, read from the
  // rollup from scratch (lib/campaigns/source-totals.ts).
  const sourceTotals = await query(
    `SELECT host(ip_address) AS ip, client_app_used, user_agent, attempts::int, failed::int
       FROM campaign_source_totals WHERE dataset_id = $1 ORDER BY ip, client_app_used, user_agent`,
    [datasetId],
  )
  return { findings, campaigns, sourceTotals }
}

async function append(datasetId: number, name: string, part: Event[], full: boolean) {
  const report = await ingest({ datasetId, fileName: name, source: once(ndjson(part.map(graph))), batchSize: 500 })
  const recompute = await recomputeDataset(datasetId, { full })
  return { report, recompute }
}

describe(`recomputing after each append (seed ${SEED})`, () => {
  const random = prng(SEED)
  const rounds = Array.from({ length: ROUNDS }, (_, round) => {
    const events = generate(random)
    return { round, events, parts: files(events, random) }
  })

  let incremental: number
  let scratch: number
  const scopedAtStart = slidingAfterAppendRuns.scoped
  beforeAll(async () => {
    expect(rounds.length).toBeGreaterThan(0)
  })

  for (const { round, events, parts } of rounds) {
    it(`round ${round}: ${events.length} events in ${parts.length} files of ${parts.map((p) => p.length).join(', ')} events equal a recompute from scratch and the rule (seed ${SEED})`, async () => {
      incremental = (await findOrCreateDataset(`incremental-${round}`)).id
      scratch = (await findOrCreateDataset(`scratch-${round}`)).id
      const stored: Event[] = []
      const runsBefore = slidingAfterAppendRuns.scoped + slidingAfterAppendRuns.wholeHistory
      for (const [i, part] of parts.entries()) {
        const a = await append(incremental, `part-${i}.json`, part, false)
        const b = await append(scratch, `part-${i}.json`, part, true)
        stored.push(...part)
        const where = `seed ${SEED}, round ${round}, file ${i + 1} of ${parts.length}`
        // Every file succeeds, and no derived row violates a constraint (the recompute commits).
        expect(a.report.status, where).toBe('succeeded')
        expect(a.report.rowsInserted, where).toBe(part.length)
        expect(a.recompute, where).toMatchObject({ status: 'current', error: null })
        expect(b.recompute, where).toMatchObject({ status: 'current', error: null })
        // the dataset's first recompute is full (lib/derive/recompute.ts); every later one scoped
        expect(a.recompute.run?.full, where).toBe(i === 0)
        expect(await derivedState(incremental), where).toMatchObject({ status: 'current' })
        // The appended hours alone give what all the events give.
        const [left, right] = [await derived(incremental), await derived(scratch)]
        expect(left.findings, where).toEqual(right.findings)
        expect(left.campaigns, where).toEqual(right.campaigns)
        expect(left.sourceTotals, where).toEqual(right.sourceTotals)
        expect(left.sourceTotals.length, where).toBeGreaterThan(0)
        expect(await storedHourly(incremental), where).toEqual(ruleFindings(stored))
      }
      // The data set out to exercise what it claims: findings of each kind and a campaign.
      const [shape] = await query<{ kinds: string[]; campaigns: number; escalated: number }>(
        `SELECT array_agg(DISTINCT kind ORDER BY kind) AS kinds, (SELECT count(*)::int FROM campaigns WHERE dataset_id = $1) AS campaigns,
                count(*) FILTER (WHERE escalated)::int AS escalated
           FROM findings WHERE dataset_id = $1`,
        [incremental],
      )
      console.log(`seed ${SEED} round ${round}: kinds ${shape.kinds.join(', ')}, ${shape.campaigns} campaigns, ${shape.escalated} escalated findings; ` +
        `sliding windows after an append so far: ${slidingAfterAppendRuns.scoped} around the appended hours, ${slidingAfterAppendRuns.wholeHistory} over the whole history; ` +
        `campaign details so far: ${campaignDetailsRuns.extended} extended by an append, ${campaignDetailsRuns.rebuilt} rebuilt; ` +
        `campaigns so far: ${campaignRuns.refreshed} linked and measured, ${campaignRuns.kept} kept (an append that reached none of their sources)`)
      expect(shape.kinds).toEqual(expect.arrayContaining(['hourly', 'low_and_slow', 'sliding']))
      expect(shape.campaigns).toBeGreaterThan(0)
      // Every append recomputed the sliding windows after an append, and over the rounds they were
      // read around the appended hours (not over each source's whole history) at least once: what
      // the comparisons above checked. Not in every round: when each append of a round reaches the
      // steady prober's long cluster, each reads the whole history, by design (seed 1642104004,
      // round 0: three files, both appends in the prober's 17 hours).
      expect(slidingAfterAppendRuns.scoped + slidingAfterAppendRuns.wholeHistory - runsBefore).toBe(parts.length - 1)
      if (round === rounds.length - 1) expect(slidingAfterAppendRuns.scoped).toBeGreaterThan(scopedAtStart)
      const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_events WHERE dataset_id = $1', [incremental])
      expect(n).toBe(events.length)
    }, 120_000)
  }
})
