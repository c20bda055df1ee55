import { describe, expect, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { chooseSource, findEnumeration, findingToJson, type DetectionSettings, type Verdict } from '@/lib/detection/enumeration'
import { findingsJson, ingestContent } from '../helpers/ingest'
import { APP, at, burst, CLIENT, DAY, expectFindings, finding, HIGH, IP, load, LOW, MODERATE, ndjson, nextSeq, UA, user, users, type Ev } from '../helpers/parity-kit'
import { useTestDatabase } from '../helpers/test-database'

// Parity between the two SQL variants (findings-from-rollup.sql and findings-from-events.sql) and
// with the reference rule (docs/reference/reference-rule.md) when the query narrows the time range or
// changes the settings: codes, thresholds, window, sample and app-list sizes. Expectations are
// worked out by hand from the rule text.
useTestDatabase()

/** A Microsoft Graph signIn object; a field given as undefined is absent from the JSON. */
interface GraphEv {
  t: string
  upn: string
  id?: string
  ip?: string
  code?: unknown
  client?: string
  ua?: string
  app?: string
}
function graphPage(events: GraphEv[]): string {
  return JSON.stringify({
    value: events.map((e) => ({
      id: e.id ?? `graph-${nextSeq()}`,
      createdDateTime: e.t,
      userPrincipalName: e.upn,
      ipAddress: e.ip ?? IP,
      clientAppUsed: 'client' in e ? e.client : CLIENT,
      userAgent: 'ua' in e ? e.ua : UA,
      appDisplayName: 'app' in e ? e.app : APP,
      status: { errorCode: e.code ?? 50034 },
    })),
  })
}

async function datasetId(name: string) {
  return (await findOrCreateDataset(name)).id
}
// ----------------------------------------------------------------------------------------

const TWELVE_APPS = ['Azure Portal', 'Bing', 'Copilot', 'Dynamics CRM', 'Exchange Online', 'Forms', 'Graph Explorer', 'Hub', 'Intune', 'Jira', 'Kaizala', 'Loop']

describe('parity: rollup and events variants on a mixed dataset', () => {
  const logscaleFile = ndjson([
    // 27 users over 12 apps, one of them again in upper case, and an excluded code
    ...burst(27, '10:05:00', { ip: '203.0.113.100' }).map((e, k) => ({ ...e, app: TWELVE_APPS[k % 12] })),
    { t: at('10:05:30'), upn: 'USER05@CONTOSO.COM', ip: '203.0.113.100' },
    { t: at('10:05:31'), upn: user(28), ip: '203.0.113.100', code: '50126' },
    { t: at('10:05:32'), upn: ' ', ip: '203.0.113.100' },
    // 5 + 5 users across the 11:00 boundary: nothing
    ...burst(5, '10:58:00', { ip: '203.0.113.101' }),
    ...burst(5, '11:01:00', { ip: '203.0.113.101' }, { first: 6 }),
  ])
  const office = { ip: '2001:db8::7', code: 50053, client: 'Mobile Apps and Desktop clients', ua: 'Microsoft Office/16.0', app: 'Office 365' }
  const graphEvents: GraphEv[] = [
    ...users(1, 10).map((upn, k) => ({ ...office, t: `${DAY}T11:30:0${k}Z`, upn, id: `office-${k + 1}` })),
    // client app and user agent absent; the last attempt's 7-digit fraction must not round into 10:00
    ...users(1, 9).map((upn, k) => ({ t: `${DAY}T09:${15 + k}:00Z`, upn, ip: '203.0.113.102', client: undefined, ua: undefined })),
    { t: `${DAY}T09:59:59.9999999Z`, upn: user(10), ip: '203.0.113.102', client: undefined, ua: undefined },
  ]
  const expected = [
    finding({
      bucket: '10:00:00',
      ip: '203.0.113.100',
      unique: 27,
      attempts: 28,
      sample: users(1, 25),
      apps: TWELVE_APPS.slice(0, 10),
      first: '10:05:00',
      last: '10:05:30',
      minutes: 1,
      rate: 27,
      verdict: MODERATE,
    }),
    // 09:15:00 → 09:59:59.999 is 2 699 999 ms = 44.99998… min → 45.0; 10 / 45 = 0.222… → 0.22
    finding({ bucket: '09:00:00', ip: '203.0.113.102', client: '', ua: '', unique: 10, attempts: 10, sample: users(1, 10), first: '09:15:00', last: '09:59:59.999', minutes: 45, rate: 0.22, verdict: LOW }),
    finding({
      bucket: '11:00:00',
      ip: '2001:db8::7',
      client: 'Mobile Apps and Desktop clients',
      ua: 'Microsoft Office/16.0',
      unique: 10,
      attempts: 10,
      sample: users(1, 10),
      apps: ['Office 365'],
      first: '11:30:00',
      last: '11:30:09',
      minutes: 1,
      rate: 10,
      verdict: LOW,
    }),
  ]

  it('both variants give the hand-checked findings, with files overlapping and repeated', async () => {
    await load('mixed', logscaleFile, 'mixed.ndjson')
    await load('mixed', graphPage(graphEvents), 'mixed-graph.json', 'graph')
    await load('mixed', logscaleFile, 'mixed-again.ndjson')
    // a re-fetched page: office-6 … office-10 again
    const again = await load('mixed', graphPage(graphEvents.slice(5, 10)), 'mixed-graph-page-2.json', 'graph')
    expect(again.rowsDuplicate).toBe(5)
    expect(chooseSource(60)).toBe('rollup')
    const id = await datasetId('mixed')
    expect((await findEnumeration({ datasetIds: [id] }, 'rollup')).map(findingToJson), 'rollup').toStrictEqual(expected)
    expect((await findEnumeration({ datasetIds: [id] }, 'events')).map(findingToJson), 'events').toStrictEqual(expected)
    expect(await findingsJson('mixed')).toStrictEqual(expected)
  })

  it('both variants agree on the mixed dataset under other settings', async () => {
    await load('mixed-settings', logscaleFile, 'mixed.ndjson')
    await load('mixed-settings', graphPage(graphEvents), 'mixed-graph.json', 'graph')
    const id = await datasetId('mixed-settings')
    const variations: Partial<DetectionSettings>[] = [
      { errorCodes: ['50034', '50126'] },
      { errorCodes: ['50053'] },
      { lowThreshold: 5, moderateThreshold: 10, highThreshold: 27 },
      { usernameSampleSize: 5, appListSize: 3 },
      { windowMinutes: 120, lowThreshold: 5 },
      { windowMinutes: 1440 },
    ]
    for (const settings of variations) {
      const rollup = (await findEnumeration({ datasetIds: [id], settings }, 'rollup')).map(findingToJson)
      const events = (await findEnumeration({ datasetIds: [id], settings }, 'events')).map(findingToJson)
      expect(rollup.length, JSON.stringify(settings)).toBeGreaterThan(0)
      expect(rollup, JSON.stringify(settings)).toStrictEqual(events)
    }
  })
})

describe('parity: one attack imported in pieces', () => {
  it('later files with earlier and later attempts of the same users, in small batches, merge exactly', async () => {
    const ip = '203.0.113.170'
    // users 1-10 at 10:20:00-10:20:09
    await load('pieces', burst(10, '10:20:00', { ip }).map((e, k) => ({ ...e, app: k % 2 === 0 ? 'Bing' : 'Copilot' })), 'part-1.ndjson')
    // an earlier attempt by user10 and user01, a later one by user02, a new user
    await load('pieces', [
      { t: at('10:04:00'), upn: user(10), ip },
      { t: at('10:05:00'), upn: user(1), ip },
      { t: at('10:50:00'), upn: user(2), ip, app: 'Dynamics CRM' },
      { t: at('10:30:00'), upn: user(11), ip },
    ], 'part-2.ndjson')
    // two batches of two in one import: user01 is updated by both
    const part3 = ndjson([
      { t: at('10:06:00'), upn: user(1), ip },
      { t: at('10:51:00'), upn: user(3), ip, app: 'Exchange Online' },
      { t: at('10:31:00'), upn: user(12), ip },
      { t: at('10:52:00'), upn: user(1), ip },
    ])
    const report = await ingestContent('pieces', 'part-3.ndjson', part3, { batchSize: 2 })
    expect([report.status, report.rowsInserted]).toEqual(['succeeded', 4])
    // 12 users, 10 + 4 + 4 attempts; 10:04:00 → 10:52:00 is 48 minutes; 12 / 48 = 0.25
    const row = (sample: string[]) =>
      finding({
        bucket: '10:00:00',
        ip,
        unique: 12,
        attempts: 18,
        sample,
        apps: ['Azure Portal', 'Bing', 'Copilot', 'Dynamics CRM', 'Exchange Online'],
        first: '10:04:00',
        last: '10:52:00',
        minutes: 48,
        rate: 0.25,
        verdict: LOW,
      })
    await expectFindings('pieces', [row(users(1, 12))])
    // first seen: user10 (10:04, from the second file), then user01 (10:05)
    await expectFindings('pieces', [row([user(1), user(10)])], { settings: { usernameSampleSize: 2 } })
  })
})

describe('parity: the from / to range', () => {
  const events: Ev[] = [
    ...burst(10, '10:10:00', { ip: '203.0.113.110', app: 'Early App' }),
    ...burst(10, '10:40:00', { ip: '203.0.113.110', app: 'Late App' }, { first: 11 }),
    ...burst(12, '11:05:00', { ip: '203.0.113.110', app: 'Next Hour App' }, { first: 21 }),
  ]
  const ip = '203.0.113.110'
  // 10:10:00 → 10:40:09 is 1 809 000 ms = 30.15 → 30.2; 20 / 30.2 = 0.662… → 0.66
  const wholeTen = finding({ bucket: '10:00:00', ip, unique: 20, attempts: 20, sample: users(1, 20), apps: ['Early App', 'Late App'], first: '10:10:00', last: '10:40:09', minutes: 30.2, rate: 0.66, verdict: MODERATE })
  const eleven = finding({ bucket: '11:00:00', ip, unique: 12, attempts: 12, sample: users(21, 32), apps: ['Next Hour App'], first: '11:05:00', last: '11:05:11', minutes: 1, rate: 12, verdict: LOW })
  const d = (time: string) => new Date(at(time))

  it('no range, and ranges on hour boundaries (the rollup answers)', async () => {
    await load('range-aligned', events)
    await expectFindings('range-aligned', [wholeTen, eleven])
    expect(chooseSource(60, d('10:00:00'), d('11:00:00'))).toBe('rollup')
    await expectFindings('range-aligned', [wholeTen], { from: d('10:00:00'), to: d('11:00:00') })
    expect(chooseSource(60, d('11:00:00'))).toBe('rollup')
    await expectFindings('range-aligned', [eleven], { from: d('11:00:00') })
    await expectFindings('range-aligned', [wholeTen], { to: d('11:00:00') })
  })

  it('ranges inside an hour read the events and count only what is in range (from inclusive, to exclusive)', async () => {
    await load('range-unaligned', events)
    expect(chooseSource(60, d('10:30:00'), d('12:00:00'))).toBe('events')
    await expectFindings('range-unaligned', [
      eleven,
      // the bucket is still the hour; only users 11-20 (10:40) are in range
      finding({ bucket: '10:00:00', ip, unique: 10, attempts: 10, sample: users(11, 20), apps: ['Late App'], first: '10:40:00', last: '10:40:09', minutes: 1, rate: 10, verdict: LOW }),
    ], { from: d('10:30:00'), to: d('12:00:00') })
    expect(chooseSource(60, d('10:00:00'), d('10:40:05'))).toBe('events')
    // users 1-15: the 10:40:05 attempt (user16) is excluded; 10:10:00 → 10:40:04 = 1 804 000 ms
    // = 30.066… → 30.1; 15 / 30.1 = 0.498… → 0.5
    await expectFindings('range-unaligned', [
      finding({ bucket: '10:00:00', ip, unique: 15, attempts: 15, sample: users(1, 15), apps: ['Early App', 'Late App'], first: '10:10:00', last: '10:40:04', minutes: 30.1, rate: 0.5, verdict: LOW }),
    ], { from: d('10:00:00'), to: d('10:40:05') })
    // from 10:10:00.001 leaves user01 out: 19 users
    await expectFindings('range-unaligned', [
      // 10:10:01 → 10:40:09 = 1 808 000 ms = 30.133… → 30.1; 19 / 30.1 = 0.631… → 0.63
      finding({ bucket: '10:00:00', ip, unique: 19, attempts: 19, sample: users(2, 20), apps: ['Early App', 'Late App'], first: '10:10:01', last: '10:40:09', minutes: 30.1, rate: 0.63, verdict: LOW }),
    ], { from: d('10:10:00.001'), to: d('11:00:00') })
  })
})

describe('parity: settings', () => {
  it('custom error codes', async () => {
    await load('codes-setting', [
      ...burst(6, '10:00:00', { ip: '203.0.113.120', code: '50034' }),
      ...burst(6, '10:00:06', { ip: '203.0.113.120', code: '50126' }, { first: 7 }),
      ...burst(10, '10:00:00', { ip: '203.0.113.121', code: '50057' }),
    ])
    await expectFindings('codes-setting', [])
    await expectFindings('codes-setting', [
      finding({ bucket: '10:00:00', ip: '203.0.113.120', unique: 12, attempts: 12, sample: users(1, 12), first: '10:00:00', last: '10:00:11', minutes: 1, rate: 12, verdict: LOW }),
    ], { settings: { errorCodes: ['50034', '50053', '50055', '50056', '50126'] } })
    await expectFindings('codes-setting', [
      finding({ bucket: '10:00:00', ip: '203.0.113.120', unique: 6, attempts: 6, sample: users(7, 12), first: '10:00:06', last: '10:00:11', minutes: 1, rate: 6, verdict: LOW }),
    ], { settings: { errorCodes: ['50126'], lowThreshold: 6 } })
    await expectFindings('codes-setting', [
      finding({ bucket: '10:00:00', ip: '203.0.113.121', unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00', last: '10:00:09', minutes: 1, rate: 10, verdict: LOW }),
    ], { settings: { errorCodes: ['50057'] } })
  })

  it('custom thresholds move both the cut-off and the verdict tiers', async () => {
    const sizes = [4, 5, 7, 8, 11, 12]
    await load('thresholds', sizes.flatMap((n) => burst(n, '10:00:00', { ip: `198.18.0.${n}` })))
    const row = (n: number, verdict: Verdict) =>
      finding({ bucket: '10:00:00', ip: `198.18.0.${n}`, unique: n, attempts: n, sample: users(1, n), first: '10:00:00', last: `10:00:${String(n - 1).padStart(2, '0')}`, minutes: 1, rate: n, verdict })
    await expectFindings('thresholds', [row(12, LOW), row(11, LOW)])
    await expectFindings('thresholds', [row(12, HIGH), row(11, MODERATE), row(8, MODERATE), row(7, LOW), row(5, LOW)], {
      settings: { lowThreshold: 5, moderateThreshold: 8, highThreshold: 12 },
    })
  })

  it('a 30-minute window splits the hour (read from the events)', async () => {
    await load('window-30', [...burst(10, '10:00:00', { ip: '203.0.113.130' }), ...burst(10, '10:40:00', { ip: '203.0.113.130' }, { first: 11 })])
    // 10:00:00 → 10:40:09 = 2 409 000 ms = 40.15 → 40.2; 20 / 40.2 = 0.4975… → 0.5
    await expectFindings('window-30', [
      finding({ bucket: '10:00:00', ip: '203.0.113.130', unique: 20, attempts: 20, sample: users(1, 20), first: '10:00:00', last: '10:40:09', minutes: 40.2, rate: 0.5, verdict: MODERATE }),
    ])
    expect(chooseSource(30)).toBe('events')
    await expectFindings('window-30', [
      finding({ bucket: '10:00:00', ip: '203.0.113.130', unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00', last: '10:00:09', minutes: 1, rate: 10, verdict: LOW }),
      finding({ bucket: '10:30:00', ip: '203.0.113.130', unique: 10, attempts: 10, sample: users(11, 20), first: '10:40:00', last: '10:40:09', minutes: 1, rate: 10, verdict: LOW }),
    ], { settings: { windowMinutes: 30 } })
  })

  it('a 2-hour window joins 10:00-12:00 (UTC, from the epoch), rollup and events alike', async () => {
    await load('window-120', [
      ...burst(6, '10:50:00', { ip: '203.0.113.140' }),
      ...burst(6, '11:05:00', { ip: '203.0.113.140' }, { first: 7 }),
      ...burst(6, '11:50:00', { ip: '203.0.113.141' }),
      ...burst(6, '12:05:00', { ip: '203.0.113.141' }, { first: 7 }),
    ])
    await expectFindings('window-120', [])
    expect(chooseSource(120)).toBe('rollup')
    // 10:50:00 → 11:05:05 = 905 000 ms = 15.083… → 15.1; 12 / 15.1 = 0.794… → 0.79
    const joined = finding({ bucket: '10:00:00', ip: '203.0.113.140', unique: 12, attempts: 12, sample: users(1, 12), first: '10:50:00', last: '11:05:05', minutes: 15.1, rate: 0.79, verdict: LOW })
    await expectFindings('window-120', [joined], { settings: { windowMinutes: 120 } })
    expect(chooseSource(120, new Date(at('10:00:00')), new Date(at('14:00:00')))).toBe('rollup')
    await expectFindings('window-120', [joined], { settings: { windowMinutes: 120 }, from: new Date(at('10:00:00')), to: new Date(at('14:00:00')) })
    // from 11:00 is not on a 2-hour boundary: events; the buckets stay 10:00 and 12:00
    expect(chooseSource(120, new Date(at('11:00:00')))).toBe('events')
    const six = (bucket: string, ip: string, first: number, start: string, last: string) =>
      finding({ bucket, ip, unique: 6, attempts: 6, sample: users(first, first + 5), first: start, last, minutes: 1, rate: 6, verdict: LOW })
    await expectFindings('window-120', [
      six('10:00:00', '203.0.113.140', 7, '11:05:00', '11:05:05'),
      six('10:00:00', '203.0.113.141', 1, '11:50:00', '11:50:05'),
      six('12:00:00', '203.0.113.141', 7, '12:05:00', '12:05:05'),
    ], { settings: { windowMinutes: 120, lowThreshold: 6 }, from: new Date(at('11:00:00')) })
  })

  it('username sample size: the first N users seen, alphabetically', async () => {
    // user12 is seen first, user01 last
    await load('sample-size', burst(12, '10:00:00', { ip: '203.0.113.150' }).map((e, k) => ({ ...e, upn: user(12 - k) })))
    const row = (sample: string[]) =>
      finding({ bucket: '10:00:00', ip: '203.0.113.150', unique: 12, attempts: 12, sample, first: '10:00:00', last: '10:00:11', minutes: 1, rate: 12, verdict: LOW })
    await expectFindings('sample-size', [row(users(1, 12))])
    await expectFindings('sample-size', [row([user(10), user(11), user(12)])], { settings: { usernameSampleSize: 3 } })
    await expectFindings('sample-size', [row([])], { settings: { usernameSampleSize: 0 } })
  })

  // user01 uses all twelve apps (one rollup row: one hour, source, user and code); users 2-10 Azure Portal
  const appEvents: Ev[] = [
    ...burst(10, '10:00:00', { ip: '203.0.113.160' }),
    ...TWELVE_APPS.slice(1).map((app, k) => ({ t: at('10:00:10') + k * 1000, upn: user(1), ip: '203.0.113.160', app })),
  ]
  const appRow = (apps: string[]) =>
    finding({ bucket: '10:00:00', ip: '203.0.113.160', unique: 10, attempts: 21, sample: users(1, 10), apps, first: '10:00:00', last: '10:00:20', minutes: 1, rate: 10, verdict: LOW })

  it('app list size up to 10', async () => {
    await load('app-size', appEvents)
    await expectFindings('app-size', [appRow(TWELVE_APPS.slice(0, 10))])
    await expectFindings('app-size', [appRow(['Azure Portal', 'Bing'])], { settings: { appListSize: 2 } })
    await expectFindings('app-size', [appRow([])], { settings: { appListSize: 0 } })
  })

  it('app list size above 10 (as the app runs it, and from the events)', async () => {
    await load('app-size-12', appEvents)
    const id = await datasetId('app-size-12')
    // the rollup cannot answer this (see the next test), so the app must read the events
    expect(chooseSource(60, null, null, 12)).toBe('events')
    expect(await findingsJson('app-size-12', { settings: { appListSize: 12 } })).toStrictEqual([appRow(TWELVE_APPS)])
    expect((await findEnumeration({ datasetIds: [id], settings: { appListSize: 12 } }, 'events')).map(findingToJson)).toStrictEqual([appRow(TWELVE_APPS)])
  })

  // The rollup keeps 10 app names per (hour, source, user, code) row, so it cannot list 12: the
  // detection reads the events then, and refuses a caller who insists on the rollup.
  it('refuses to read an app list above 10 from the rollup', async () => {
    await load('app-size-12-rollup', appEvents)
    const id = await datasetId('app-size-12-rollup')
    await expect(findEnumeration({ datasetIds: [id], settings: { appListSize: 12 } }, 'rollup')).rejects.toThrow(/rollup cannot answer/)
    expect((await findEnumeration({ datasetIds: [id], settings: { appListSize: 12 } })).map(findingToJson)).toStrictEqual([appRow(TWELVE_APPS)])
  })
})
