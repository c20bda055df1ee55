import { beforeAll, describe, expect, it } from 'vitest'
import { lookupAsn } from '@/lib/campaigns/asn-lookup'
import { campaignConfirmingCodes, refreshCampaignDetails } from '@/lib/campaigns/campaign-details'
import { campaignTimeline } from '@/lib/campaigns/campaign-timeline'
import { campaignErrorCodes } from '@/lib/campaigns/linking-rules'
import { toConfirmedAccount } from '@/lib/remediation/confirmed-account'
import { campaignConfirmedAccounts, campaignConfirmedAccountsCsv } from '@/lib/campaigns/confirmed-accounts'
import { getCampaign } from '@/lib/campaigns/get-campaign'
import { listCampaigns } from '@/lib/campaigns/list-campaigns'
import { refreshCampaigns } from '@/lib/campaigns/refresh-campaigns'
import { OTHER_IPS_SERIES, TIMELINE_NAMED_IPS, type CampaignDetail } from '@/lib/campaigns/campaign-types'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { getPool } from '@/lib/db/database'
import { resolveExtendedSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { generateDemoSignIns, type DemoOptions } from '@/lib/demo/generate'
import { loadDemoDataset } from '@/lib/demo/load-demo'
import { DEMO_SCENARIOS } from '@/lib/demo/scenarios'
import { ROTATION_USER_AGENTS } from '@/lib/demo/user-agents'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'

// Campaigns: one actor spread over many IPs or user agents, grouped from the failed sign-ins of
// a dataset in the real PostgreSQL. The demo's two rotation scenarios must come out as exactly
// one campaign each and nothing else; small synthetic datasets exercise each linking rule.
useTestDatabase()

const ANCHOR = new Date('2026-03-02T00:00:00.000Z')
const FIXED: DemoOptions = { anchor: ANCHOR, seed: 7 }
const DEFAULTS = resolveExtendedSettings()
const LOAD_TIMEOUT_MS = 180_000
const ZERO_GUID = '00000000-0000-0000-0000-000000000000'

/** Runs the refresh the way the recompute does: inside a transaction of its own client, then what the pages show. */
async function refresh(datasetId: number, settings: ExtendedSettings = DEFAULTS): Promise<number> {
  const client = await (await getPool()).connect()
  try {
    await client.query('BEGIN')
    const count = await refreshCampaigns(client, datasetId, settings)
    await refreshCampaignDetails(client, datasetId, settings)
    await client.query('COMMIT')
    return count
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
}

async function detailsOf(datasetId: number): Promise<CampaignDetail[]> {
  const list = await listCampaigns([datasetId])
  return Promise.all(list.map(async (c) => (await getCampaign(c.id))!))
}

const ipsOf = (campaign: CampaignDetail) => [...new Set(campaign.sources.map((s) => s.ipAddress))].sort()
const scenario = (id: string) => DEMO_SCENARIOS.find((s) => s.id === id)!

describe('campaigns in the demo incident', () => {
  let datasetId = 0
  let campaigns: CampaignDetail[] = []
  const rotating = () => campaigns.find((c) => c.sources.some((s) => s.ipAddress === '203.0.113.100'))!
  const uaRotation = () => campaigns.find((c) => c.sources.some((s) => s.ipAddress === scenario('user-agent-rotation').sourceIps[0]))!

  beforeAll(async () => {
    await loadDemoDataset('campaigns-demo', FIXED)
    datasetId = (await findOrCreateDataset('campaigns-demo', 'demo')).id
    await refresh(datasetId)
    campaigns = await detailsOf(datasetId)
  }, LOAD_TIMEOUT_MS)

  const truths = new Map<string, { probed: Set<string>; real: Set<string> }>()
  /** Distinct names the scenario's addresses tried, and which of them are real accounts, from the generator itself. */
  function groundTruth(scenarioId: string): { probed: Set<string>; real: Set<string> } {
    const known = truths.get(scenarioId)
    if (known) return known
    const ips = new Set(scenario(scenarioId).sourceIps)
    const probed = new Set<string>()
    const real = new Set<string>()
    for (const record of generateDemoSignIns(FIXED)) {
      if (!ips.has(record.ipAddress) || record.status.errorCode === 0) continue
      probed.add(record.userPrincipalName)
      // The generator writes the directory account's id for real accounts, nothing or zeros otherwise.
      if (record.userId !== '' && record.userId !== ZERO_GUID) real.add(record.userPrincipalName)
    }
    truths.set(scenarioId, { probed, real })
    return { probed, real }
  }

  /** The median seconds between consecutive failed attempts (campaign codes, with a username) of these addresses, interpolated as percentile_cont. */
  function medianGapSeconds(sourceIps: readonly string[]): number {
    const ips = new Set(sourceIps)
    const codes = new Set(campaignErrorCodes(DEFAULTS))
    const times = [...generateDemoSignIns(FIXED)]
      .filter((r) => ips.has(r.ipAddress) && r.userPrincipalName !== '' && codes.has(String(r.status.errorCode)))
      .map((r) => Date.parse(r.createdDateTime))
      .sort((a, b) => a - b)
    const gaps = times.slice(1).map((t, i) => (t - times[i]) / 1000).sort((a, b) => a - b)
    const middle = (gaps.length - 1) / 2
    return gaps[Math.floor(middle)] + (gaps[Math.ceil(middle)] - gaps[Math.floor(middle)]) * (middle - Math.floor(middle))
  }

  it('finds exactly the two rotation scenarios and nothing of the background', () => {
    expect(campaigns).toHaveLength(2)
    const members = campaigns.flatMap(ipsOf)
    // Office NATs, home broadband and phones (many users, many browsers, a few typos) stay out.
    expect(members.filter((ip) => ip.startsWith('198.51.100.') || ip.startsWith('198.18.') || ip.startsWith('198.19.') || ip.startsWith('2001:db8:1:'))).toEqual([])
  })

  it('groups the rotating-IP spray into one campaign of 40 addresses, one fingerprint, High', () => {
    const spray = scenario('rotating-ip-spray')
    const campaign = rotating()
    const truth = groundTruth('rotating-ip-spray')
    expect(ipsOf(campaign)).toEqual([...spray.sourceIps].sort())
    expect([campaign.ipCount, campaign.sourceCount, campaign.userAgentCount]).toEqual([40, 40, 1])
    // 175 unknown names (the rule's code 50034) plus 25 real staff answering 50126.
    expect(campaign.notFoundUsernames).toBe(spray.probedUsernames)
    expect(campaign.uniqueUsernames).toBe(truth.probed.size)
    expect(campaign.uniqueUsernames).toBe(200)
    expect(campaign.verdict).toBe('High Confidence Enumeration')
    // Each proxy of the pool also keeps the tool's steady rhythm, at the same time as the others.
    expect(campaign.reasons).toEqual(['same ASN AS64503', 'same cadence in one AS', 'same cadence in one network', 'same user agent across IPs', 'shared /24'])
    expect(campaign.attempts).toBe(200)
    expect(campaign.firstSeen >= new Date(ANCHOR.getTime() + spray.window.start * 60_000).toISOString()).toBe(true)
    expect(campaign.lastSeen < new Date(ANCHOR.getTime() + spray.window.end * 60_000).toISOString()).toBe(true)
    // 200 attempts over two hours: some 36 s apart on average; the median is of that order.
    expect(campaign.cadenceSeconds).toBeGreaterThan(5)
    expect(campaign.cadenceSeconds).toBeLessThan(120)
    // Exactly: the median of the gaps between one failed attempt of the campaign and the next,
    // whichever proxy made them, from the generator's own records.
    expect(campaign.cadenceSeconds).toBeCloseTo(medianGapSeconds(spray.sourceIps), 6)
    expect(campaign.sources.every((s) => s.autonomousSystem === 64503)).toBe(true)
  })

  it('lists the first sources and findings when asked, with whole counts, in the order of the whole list', async () => {
    const whole = rotating()
    const capped = (await getCampaign(whole.id, { sources: 7, findings: 1 }))!
    expect(capped.sources).toEqual(whole.sources.slice(0, 7))
    expect(capped.sourceCount).toBe(40)
    expect(capped.findings).toEqual(whole.findings.slice(0, 1))
    expect(capped.findingCount).toBe(whole.findings.length)
    expect(capped.openFindingCount).toBe(whole.findings.filter((f) => f.triageStatus !== 'closed').length)
    expect(whole.sources).toHaveLength(whole.sourceCount)
    expect(whole.findingCount).toBe(whole.findings.length)
  })

  it('groups the user-agent rotation into one campaign of 15 user agents on one address', () => {
    const rotation = scenario('user-agent-rotation')
    const campaign = uaRotation()
    expect(ipsOf(campaign)).toEqual([...rotation.sourceIps])
    expect([campaign.ipCount, campaign.userAgentCount, campaign.sourceCount]).toEqual([1, ROTATION_USER_AGENTS.length, 15])
    expect(new Set(campaign.sources.map((s) => s.userAgent))).toEqual(new Set(ROTATION_USER_AGENTS))
    // 42 names with the rule's codes plus 3 wrong passwords (50126) on real staff.
    expect(campaign.uniqueUsernames).toBe(groundTruth('user-agent-rotation').probed.size)
    expect(campaign.uniqueUsernames).toBe(rotation.probedUsernames + 3)
    expect(campaign.verdict).toBe('Moderate Enumeration')
    expect(campaign.reasons).toEqual(['user-agent rotation'])
  })

  it('counts as confirmed exactly the real accounts each scenario probed', async () => {
    for (const [id, campaign] of [['rotating-ip-spray', rotating()], ['user-agent-rotation', uaRotation()]] as const) {
      const { real } = groundTruth(id)
      const accounts = await campaignConfirmedAccounts(campaign.id)
      expect(campaign.confirmedAccounts, id).toBe(real.size)
      expect(new Set(accounts.map((a) => a.userPrincipalName)), id).toEqual(real)
    }
    expect(rotating().confirmedAccounts).toBe(25)
    expect(uaRotation().confirmedAccounts).toBe(5)
  })

  it('keeps each timeline and remediation list as the rollup gives them, and rebuilds only campaigns whose sources changed', async () => {
    const pool = await getPool()
    const codes = campaignErrorCodes(DEFAULTS)
    for (const campaign of campaigns) {
      // The reference: the campaign's sources' rollup rows read at the time of the view, as the pages did before the recompute kept them.
      const { rows: hours } = await pool.query<{ bucket: Date; ip_address: string; attempts: number }>(
        `SELECT r.bucket, host(r.ip_address) AS ip_address, sum(r.attempts)::int AS attempts
           FROM campaign_sources s
           JOIN sign_in_hourly_rollup r ON r.dataset_id = $3 AND r.ip_address = s.ip_address AND r.client_app_used = s.client_app_used AND r.user_agent = s.user_agent
          WHERE s.campaign_id = $1 AND r.error_code = ANY($2::text[])
          GROUP BY r.bucket, r.ip_address ORDER BY r.bucket, r.ip_address`,
        [campaign.id, codes, datasetId],
      )
      expect(hours.length).toBeGreaterThan(0)
      const kept = await campaignTimeline(pool, campaign.id)
      const fromRollup = new Map<string, number>()
      for (const h of hours) fromRollup.set(h.ip_address, (fromRollup.get(h.ip_address) ?? 0) + h.attempts)
      expect(kept.points.map((p) => p.bucket)).toEqual([...new Set(hours.map((h) => h.bucket.toISOString()))])
      expect(kept.series.length + kept.otherIpCount - (kept.otherIpCount > 0 ? 1 : 0)).toBe(fromRollup.size)
      expect(kept.points.reduce((sum, p) => sum + Object.values(p.attemptsBySeries).reduce((a, b) => a + b, 0), 0)).toBe(campaign.attempts)

      const { rows: accounts } = await pool.query<{ user_principal_name: string; error_codes: string[]; attempts: number; first_probed: Date; last_probed: Date; source_ips: string[] }>(
        `SELECT r.user_principal_name, array_agg(DISTINCT r.error_code ORDER BY r.error_code) AS error_codes, sum(r.attempts)::int AS attempts,
                min(r.first_seen) AS first_probed, max(r.last_seen) AS last_probed, array_agg(DISTINCT host(r.ip_address) ORDER BY host(r.ip_address)) AS source_ips
           FROM campaign_sources s
           JOIN sign_in_hourly_rollup r ON r.dataset_id = $3 AND r.ip_address = s.ip_address AND r.client_app_used = s.client_app_used AND r.user_agent = s.user_agent
          WHERE s.campaign_id = $1 AND r.error_code = ANY($2::text[])
          GROUP BY r.user_principal_name ORDER BY r.user_principal_name`,
        [campaign.id, campaignConfirmingCodes(DEFAULTS), datasetId],
      )
      expect(await campaignConfirmedAccounts(campaign.id)).toEqual(accounts.map(toConfirmedAccount))
      expect(await campaignConfirmedAccounts(campaign.id, 3)).toEqual(accounts.map(toConfirmedAccount).slice(0, 3))
    }

    // Nothing changed: a second pass rebuilds nothing; a campaign whose sources changed is rebuilt alone.
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      expect(await refreshCampaignDetails(client, datasetId, DEFAULTS)).toEqual({ campaigns: 0, extended: 0 })
      await client.query('UPDATE campaign_sources SET attempts = attempts + 1 WHERE campaign_id = $1', [rotating().id])
      expect(await refreshCampaignDetails(client, datasetId, DEFAULTS)).toEqual({ campaigns: 1, extended: 0 })
      // Other codes (new settings) are other inputs: every campaign is rebuilt.
      expect(await refreshCampaignDetails(client, datasetId, { ...DEFAULTS, errorCodes: [...DEFAULTS.errorCodes, '50076'] })).toEqual({ campaigns: 2, extended: 0 })
    } finally {
      await client.query('ROLLBACK')
      client.release()
    }
  })

  it('leaves the single-source attacks the rule already reports out of every campaign', () => {
    const members = new Set(campaigns.flatMap(ipsOf))
    const flagged = DEMO_SCENARIOS.filter((s) => s.expectedFindings.length > 0).flatMap((s) => s.sourceIps)
    expect(flagged.length).toBeGreaterThan(5)
    // 203.0.113.45 shares the spray's /24, AS and MSOLSpray fingerprint, but ran 22 hours earlier.
    expect(flagged).toContain('203.0.113.45')
    expect(flagged.filter((ip) => members.has(ip))).toEqual([])
  })

  it('links no finding of the demo to a campaign: none of their sources is a member', async () => {
    const { rows } = await (await getPool()).query<{ linked: number; total: number }>(
      'SELECT count(campaign_id)::int AS linked, count(*)::int AS total FROM findings WHERE dataset_id = $1',
      [datasetId],
    )
    expect(rows[0].total).toBeGreaterThanOrEqual(9)
    expect(rows[0].linked).toBe(0)
  })

  it('keeps campaign ids and first-detection times across refreshes', async () => {
    const before = await listCampaigns([datasetId])
    expect(await refresh(datasetId)).toBe(2)
    const after = await listCampaigns([datasetId])
    expect(after.map((c) => [c.id, c.detectedAt, c.uniqueUsernames])).toEqual(before.map((c) => [c.id, c.detectedAt, c.uniqueUsernames]))
  })

  it('draws the spray timeline with the busiest IPs named and the rest together', () => {
    const { timeline } = rotating()
    expect(timeline.series).toHaveLength(TIMELINE_NAMED_IPS + 1)
    expect(timeline.series.at(-1)).toBe(OTHER_IPS_SERIES)
    expect(timeline.otherIpCount).toBe(40 - TIMELINE_NAMED_IPS)
    expect(timeline.points.map((p) => p.bucket)).toEqual(['2026-03-03T01:00:00.000Z', '2026-03-03T02:00:00.000Z'])
    const total = timeline.points.reduce((sum, p) => sum + Object.values(p.attemptsBySeries).reduce((a, b) => a + b, 0), 0)
    expect(total).toBe(rotating().attempts)
  })
})

// ---------------------------------------------------------------------------------------------
// Synthetic datasets, one linking rule each (LogScale NDJSON, as the findings tests write it).

interface Attempt {
  at: number
  ip: string
  upn: string
  code?: string
  ua?: string
  app?: string
  client?: string
  asn?: number
}

let counter = 0
function ndjson(attempts: Attempt[]): string {
  return attempts
    .map((a) =>
      JSON.stringify({
        '@timestamp': a.at,
        id: `campaign-evt-${++counter}`,
        resultType: a.code ?? '50034',
        ipAddress: a.ip,
        userPrincipalName: a.upn,
        clientAppUsed: a.client ?? 'Mobile Apps and Desktop clients',
        userAgent: a.ua ?? 'Mozilla/5.0',
        appDisplayName: a.app ?? 'Azure Active Directory PowerShell',
        ...(a.asn === undefined ? {} : { autonomousSystemNumber: a.asn }),
      }),
    )
    .join('\n')
}

const T0 = Date.parse('2026-03-10T08:00:00Z')
const MINUTE = 60_000

/** `count` attempts from one source, 40 s apart from `start`, on names `${prefix}-<i>@contoso.com`. */
function source(ip: string, start: number, count: number, prefix: string, extra: Partial<Attempt> = {}, from = 0): Attempt[] {
  return Array.from({ length: count }, (_, i) => ({ at: start + i * 40_000, ip, upn: `${prefix}-${from + i}@contoso.com`, ...extra }))
}

async function loadSynthetic(name: string, attempts: Attempt[]): Promise<number> {
  await ingestContent(name, `${name}.ndjson`, ndjson(attempts))
  const { id } = await findOrCreateDataset(name)
  await refresh(id)
  return id
}

describe('campaign linking rules', () => {
  it('links one fingerprint across a /24 or /48 within the gap, and not a different tool or a later day', async () => {
    const id = await loadSynthetic('c-network', [
      ...[10, 11, 12, 13, 14].flatMap((host, i) => source(`192.0.2.${host}`, T0 + i * 5 * MINUTE, 3, `net${host}`)),
      // same /24, another tool
      ...source('192.0.2.20', T0, 6, 'other', { ua: 'curl/8.5.0' }),
      // same /24 and tool, but 10 hours after the others stopped (the gap is 6)
      ...source('192.0.2.30', T0 + 11 * 60 * MINUTE, 6, 'late'),
      // two addresses of one IPv6 /48 with a tool of their own
      ...source('2001:db8:cafe:1::10', T0, 6, 'v6-a', { ua: 'Go-http-client/1.1' }),
      ...source('2001:db8:cafe:2::20', T0 + 20 * MINUTE, 6, 'v6-b', { ua: 'Go-http-client/1.1' }),
    ])
    const campaigns = await detailsOf(id)
    expect(campaigns.map(ipsOf)).toEqual([
      ['192.0.2.10', '192.0.2.11', '192.0.2.12', '192.0.2.13', '192.0.2.14'],
      ['2001:db8:cafe:1::10', '2001:db8:cafe:2::20'],
    ])
    const [v4, v6] = campaigns
    expect([v4.uniqueUsernames, v6.uniqueUsernames]).toEqual([15, 12])
    expect(v4.verdict).toBe('Low-Level Enumeration')
    // Documentation addresses are in no AS table and the events carried none.
    expect(v4.reasons).toEqual(['same user agent across IPs', 'shared /24'])
    expect(v6.reasons).toEqual(['same user agent across IPs', 'shared /48'])
    expect(v4.sources.every((s) => s.autonomousSystem === null)).toBe(true)

    // A longer gap reaches the late source.
    await refresh(id, { ...DEFAULTS, campaignGapHours: 12 })
    const wider = (await detailsOf(id)).find((c) => ipsOf(c).includes('192.0.2.10'))!
    expect(ipsOf(wider)).toContain('192.0.2.30')
    expect(wider.uniqueUsernames).toBe(21)
  })

  it('links one fingerprint across networks of the same AS, from the AS the log recorded', async () => {
    const id = await loadSynthetic('c-asn-events', [
      ...source('192.0.2.40', T0, 6, 'asn-a', { asn: 64500 }),
      ...source('198.51.100.40', T0 + 10 * MINUTE, 6, 'asn-b', { asn: 64500 }),
      // the same tool from another AS and network: not part of it
      ...source('203.0.113.40', T0 + 5 * MINUTE, 6, 'asn-c', { asn: 64511 }),
    ])
    const [campaign, ...rest] = await detailsOf(id)
    expect(rest).toHaveLength(0)
    expect(ipsOf(campaign)).toEqual(['192.0.2.40', '198.51.100.40'])
    expect(campaign.reasons).toEqual(['same ASN AS64500', 'same user agent across IPs'])
    expect(campaign.sources.map((s) => s.autonomousSystem)).toEqual([64500, 64500])
  })

  it('looks the AS up offline when the log has none', async () => {
    // Both Google public resolvers, in different /24s, announced by AS15169.
    expect(lookupAsn('8.8.8.8')).toBe(15169)
    expect(lookupAsn('2001:4860:4860::8888')).toBe(15169)
    expect(lookupAsn('192.0.2.1')).toBeNull()
    const id = await loadSynthetic('c-asn-lookup', [...source('8.8.8.8', T0, 6, 'lookup-a'), ...source('8.8.4.4', T0 + 3 * MINUTE, 6, 'lookup-b')])
    const [campaign] = await detailsOf(id)
    // 40 s apart from both, overlapping in time: their rhythm links them too.
    expect(campaign.reasons).toEqual(['same ASN AS15169', 'same cadence in one AS', 'same user agent across IPs'])
    expect(campaign.sources.map((s) => s.autonomousSystem)).toEqual([15169, 15169])
  })

  it('links one address rotating user agents, but not an office NAT whose users mostly succeed', async () => {
    const rotation = Array.from({ length: 12 }, (_, i) => ({ at: T0 + i * MINUTE, ip: '192.0.2.50', upn: `rot-${i}@contoso.com`, ua: `Mozilla/5.0 (rotating ${i})` }))
    // An office NAT: 12 people, 12 browsers, each one typo (50126) and then many sign-ins that work.
    const office = Array.from({ length: 12 }, (_, i) => [
      { at: T0 + i * MINUTE, ip: '198.51.100.77', upn: `staff-${i}@contoso.com`, ua: `Mozilla/5.0 (office ${i})`, code: '50126', client: 'Browser', app: 'OfficeHome' },
      ...Array.from({ length: 3 }, (_, k) => ({ at: T0 + i * MINUTE + (k + 1) * 5_000, ip: '198.51.100.77', upn: `staff-${i}@contoso.com`, ua: `Mozilla/5.0 (office ${i})`, code: '0', client: 'Browser', app: 'OfficeHome' })),
    ]).flat()
    const id = await loadSynthetic('c-user-agents', [...rotation, ...office])
    const [campaign, ...rest] = await detailsOf(id)
    expect(rest).toHaveLength(0)
    expect(ipsOf(campaign)).toEqual(['192.0.2.50'])
    expect([campaign.userAgentCount, campaign.sourceCount, campaign.uniqueUsernames]).toEqual([12, 12, 12])
    expect(campaign.reasons).toEqual(['user-agent rotation'])
  })

  it('links addresses of one network keeping one steady cadence at the same time, whatever their user agents', async () => {
    /** `count` attempts `everySeconds` apart (plus `jitter(i)` ms), names of their own. */
    const steady = (ip: string, start: number, ua: string, everySeconds: number, count = 8, jitter: (i: number) => number = () => 0) =>
      Array.from({ length: count }, (_, i) => ({ at: start + i * everySeconds * 1000 + jitter(i), ip, upn: `${ip}-${i}@contoso.com`, ua }))
    const id = await loadSynthetic('c-cadence', [
      // one scheduler, four proxies of a /24, a new browser string each, every 30 s (±1 s)
      ...[70, 71, 72, 73].flatMap((host, k) => steady(`192.0.2.${host}`, T0 + k * 7_000, `Mozilla/5.0 (proxy ${k})`, 30, 8, (i) => ((i * 7 + k) % 3) * 500)),
      // the same rhythm an hour after they stopped: within the gap, but not at the same time
      ...steady('192.0.2.80', T0 + 60 * MINUTE, 'Mozilla/5.0 (later)', 30),
      // at the same time, another rhythm (every 90 s) …
      ...steady('192.0.2.81', T0, 'Mozilla/5.0 (slow)', 90),
      // … and no rhythm at all
      ...steady('192.0.2.82', T0, 'Mozilla/5.0 (human)', 0, 8, (i) => [0, 4, 50, 56, 140, 200, 203, 300][i] * 1000),
      // the same rhythm at the same time from another network
      ...steady('203.0.113.70', T0, 'Mozilla/5.0 (elsewhere)', 30),
      // a minute apart and a minute and a tenth: alike, however the numbers round
      ...steady('198.51.100.70', T0, 'Mozilla/5.0 (a)', 60.2),
      ...steady('198.51.100.71', T0 + 20_000, 'Mozilla/5.0 (b)', 60.3),
    ])
    const campaigns = await detailsOf(id)
    expect(campaigns.map(ipsOf)).toEqual([['192.0.2.70', '192.0.2.71', '192.0.2.72', '192.0.2.73'], ['198.51.100.70', '198.51.100.71']])
    expect(campaigns[0].reasons).toEqual(['same cadence in one network'])
    expect(campaigns[0].userAgentCount).toBe(4)
    expect(campaigns[0].uniqueUsernames).toBe(32)
  })

  it('links sources whose target lists overlap, and not ones sharing too few names or too small a part', async () => {
    // Different addresses, networks and tools: only the names they try tie them together.
    const list = (ip: string, start: number, ua: string, sharedNames: number, own: number, ownPrefix: string) => [
      ...source(ip, start, sharedNames, 'shared', { ua }),
      ...source(ip, start + 20 * MINUTE, own, ownPrefix, { ua }),
    ]
    const id = await loadSynthetic('c-overlap', [
      // 12 names in common out of 16 each
      ...list('192.0.2.60', T0, 'python-requests/2.31.0', 12, 4, 'own-a'),
      ...list('198.51.100.60', T0 + 30 * MINUTE, 'Go-http-client/1.1', 12, 4, 'own-b'),
      // all of its 4 names are theirs, but 4 is fewer than 5
      ...list('203.0.113.60', T0, 'curl/8.5.0', 4, 0, 'own-c'),
      // 6 names in common, but under half of the smaller list (16)
      ...list('2001:db8:aa::60', T0, 'Java-http-client/17.0.10', 6, 20, 'own-d'),
    ])
    const [campaign, ...rest] = await detailsOf(id)
    expect(rest).toHaveLength(0)
    expect(ipsOf(campaign)).toEqual(['192.0.2.60', '198.51.100.60'])
    expect(campaign.uniqueUsernames).toBe(20)
    expect(campaign.reasons).toEqual(['overlapping target lists'])
  })

  it('links overlapping target lists only within the gap after the earlier source stopped', async () => {
    // The same 12 names from three unrelated sources (other addresses, networks and tools): the
    // second starts 5 hours after the first stopped (the gap is 6), the third 10 hours after the
    // second stopped. The pair test is taken before the shared names are counted
    // (link-sources.sql), so it must keep the pair within the gap and drop the one beyond it.
    const HOUR = 60 * MINUTE
    const names = (ip: string, start: number, ua: string) => source(ip, start, 12, 'gap-list', { ua })
    const first = names('192.0.2.64', T0, 'python-requests/2.31.0')
    const firstEnd = first[first.length - 1].at
    const second = names('198.51.100.64', firstEnd + 5 * HOUR, 'Go-http-client/1.1')
    const secondEnd = second[second.length - 1].at
    const third = names('203.0.113.64', secondEnd + 10 * HOUR, 'curl/8.5.0')
    const id = await loadSynthetic('c-overlap-gap', [...first, ...second, ...third])
    const campaigns = await detailsOf(id)
    expect(campaigns.map(ipsOf)).toEqual([['192.0.2.64', '198.51.100.64']])
    expect(campaigns[0].reasons).toEqual(['overlapping target lists'])
  })

  it('links the findings of member sources to their campaign and unlinks them when it goes', async () => {
    const id = await loadSynthetic('c-findings', [
      // one gateway address crosses the rule's threshold on its own (12 names in an hour) …
      ...source('192.0.2.70', T0, 12, 'loud'),
      // … the others of the pool stay under it
      ...[71, 72, 73].flatMap((host, i) => source(`192.0.2.${host}`, T0 + i * MINUTE, 4, `quiet${host}`)),
      // an unrelated single source with a finding of its own
      ...source('198.51.100.80', T0, 11, 'alone', { ua: 'curl/8.5.0' }),
    ])
    const [campaign] = await detailsOf(id)
    expect(ipsOf(campaign)).toEqual(['192.0.2.70', '192.0.2.71', '192.0.2.72', '192.0.2.73'])
    const links = async () =>
      (
        await (await getPool()).query<{ ip: string; campaign_id: number | null }>(
          `SELECT host(ip_address) AS ip, campaign_id FROM findings WHERE dataset_id = $1 AND kind = 'hourly' ORDER BY 1`,
          [id],
        )
      ).rows
    expect(await links()).toEqual([
      { ip: '192.0.2.70', campaign_id: campaign.id },
      { ip: '198.51.100.80', campaign_id: null },
    ])
    expect(campaign.findings.map((f) => f.ipAddress)).toContain('192.0.2.70')

    // Thresholds no campaign reaches: the campaign is deleted and its finding unlinked.
    expect(await refresh(id, { ...DEFAULTS, lowThreshold: 100, moderateThreshold: 100, highThreshold: 100 })).toBe(0)
    expect(await listCampaigns([id])).toEqual([])
    expect((await links()).map((l) => l.campaign_id)).toEqual([null, null])
  })

  it('exports the confirmed accounts as CSV with formula-looking usernames neutralised', async () => {
    const id = await loadSynthetic('c-csv', [
      ...source('192.0.2.90', T0, 6, 'csv-a', { code: '50126' }),
      ...source('192.0.2.91', T0 + MINUTE, 5, 'csv-b'),
      { at: T0 + 2 * MINUTE, ip: '192.0.2.91', upn: '=cmd@x', code: '50053' },
    ])
    const [campaign] = await detailsOf(id)
    expect(campaign.uniqueUsernames).toBe(12)
    expect(campaign.confirmedAccounts).toBe(7)
    expect(campaign.notFoundUsernames).toBe(5)
    const accounts = await campaignConfirmedAccounts(campaign.id)
    expect(accounts).toHaveLength(7)
    const csv = campaignConfirmedAccountsCsv(accounts)
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toBe('username,error_codes,attempts,first_probed_utc,last_probed_utc,source_ips')
    expect(lines).toContain(`'=cmd@x,50053,1,${new Date(T0 + 2 * MINUTE).toISOString()},${new Date(T0 + 2 * MINUTE).toISOString()},192.0.2.91`)
    expect(csv).not.toMatch(/(^|\n|,)=cmd/)
  })
})

describe('the key of a campaign source', () => {
  it('is the md5 of its length-prefixed parts, as the keys stored before campaign_source_key existed', async () => {
    const pool = await getPool()
    const { rows } = await pool.query<{ key: string; expected: string }>(
      `SELECT campaign_source_key('192.0.2.1', 'Browser', 'Mozilla/5.0') AS key, md5('192.0.2.1|7:Browser11:Mozilla/5.0')::uuid AS expected`,
    )
    expect(rows[0].key).toBe(rows[0].expected)
  })
})
