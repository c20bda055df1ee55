import { describe, expect, it } from 'vitest'
import type { Verdict } from '@/lib/detection/enumeration'
import { APP, at, burst, CLIENT, DAY, expectFindings, finding, IP, load, LOW, MODERATE, nextSeq, UA, user, users, type Ev } from '../helpers/parity-kit'
import { useTestDatabase } from '../helpers/test-database'

// Parity with the reference rule (docs/reference/reference-rule.md, "parity mode"): the values of a
// finding. AppList and UsernameSample contents, millisecond times with extra digits truncated,
// time-zone offsets, and the half-away-from-zero rounding of DurationMinutes and the rate. Every
// expectation is worked out by hand from the rule text; each is checked from the app's own path
// and from both SQL variants (events always; rollup whenever it can answer the query).
useTestDatabase()

/** A Microsoft Graph signIn object (JSON `{"value": [...]}` page); times are given as text. */
interface GraphEv {
  t: string
  upn: string
  ip?: string
  code?: unknown
}
function graphPage(events: GraphEv[]): string {
  return JSON.stringify({
    value: events.map((e) => ({
      id: `graph-${nextSeq()}`,
      createdDateTime: e.t,
      userPrincipalName: e.upn,
      ipAddress: e.ip ?? IP,
      clientAppUsed: CLIENT,
      userAgent: UA,
      appDisplayName: APP,
      status: { errorCode: e.code ?? 50034, failureReason: 'Invalid username or password or Invalid on-premise username or password.' },
    })),
  })
}

/** Azure Monitor diagnostic-settings records (PT1H.json lines); `time` is the later ingestion time. */
function diagnosticLines(events: GraphEv[]): string {
  return (
    events
      .map((e) =>
        JSON.stringify({
          time: `${DAY}T13:00:05.0000000Z`,
          resourceId: '/tenants/00000000-0000-0000-0000-000000000000/providers/Microsoft.aadiam',
          operationName: 'Sign-in activity',
          category: 'SignInLogs',
          resultType: String(e.code ?? 50034),
          callerIpAddress: e.ip ?? IP,
          properties: {
            id: `diag-${nextSeq()}`,
            createdDateTime: e.t,
            userPrincipalName: e.upn,
            ipAddress: e.ip ?? IP,
            clientAppUsed: CLIENT,
            userAgent: UA,
            appDisplayName: APP,
            status: { errorCode: e.code ?? 50034 },
          },
        }),
      )
      .join('\n') + '\n'
  )
}
// ----------------------------------------------------------------------------------------

const TWELVE_APPS = ['Azure Portal', 'Bing', 'Copilot', 'Dynamics CRM', 'Exchange Online', 'Forms', 'Graph Explorer', 'Hub', 'Intune', 'Jira', 'Kaizala', 'Loop']

describe('parity: AppList', () => {
  it('holds distinct non-empty app names of counted events only, at most 10, alphabetical', async () => {
    const events: Ev[] = [
      // user i uses TWELVE_APPS[12 - i]: Loop is seen first, Azure Portal last
      ...burst(12, '10:00:00', { ip: '203.0.113.60' }).map((e, k) => ({ ...e, app: TWELVE_APPS[11 - k] })),
      // counted attempts without an app name
      { t: at('10:00:20'), upn: user(1), ip: '203.0.113.60', app: '' },
      { t: at('10:00:21'), upn: user(2), ip: '203.0.113.60', app: undefined },
      // not counted, so their app names (which would sort first) are not listed
      { t: at('10:00:22'), upn: user(13), ip: '203.0.113.60', code: '50126', app: 'Aardvark Excluded' },
      { t: at('10:00:23'), upn: '', ip: '203.0.113.60', app: 'Abacus NoUser' },
      { t: at('10:00:24'), upn: user(14), ip: '203.0.113.60', ua: 'Other UA', app: 'Aaa Other Group' },
      { t: at('11:00:00'), upn: user(1), ip: '203.0.113.60', app: 'Aaa Next Hour' },
      // a group with no app name at all
      ...burst(10, '10:10:00', { ip: '203.0.113.61' }).map((e, k) => ({ ...e, app: ['', undefined, null][k % 3] })),
      // a group with two apps, each used several times
      ...burst(6, '10:20:00', { ip: '203.0.113.62', app: 'Office 365' }),
      ...burst(4, '10:20:06', { ip: '203.0.113.62', app: 'Azure Portal' }, { first: 7 }),
    ]
    await load('app-list', events)
    await expectFindings('app-list', [
      finding({
        bucket: '10:00:00',
        ip: '203.0.113.60',
        unique: 12,
        attempts: 14,
        sample: users(1, 12),
        apps: ['Azure Portal', 'Bing', 'Copilot', 'Dynamics CRM', 'Exchange Online', 'Forms', 'Graph Explorer', 'Hub', 'Intune', 'Jira'],
        first: '10:00:00',
        last: '10:00:21',
        minutes: 1,
        rate: 12,
        verdict: LOW,
      }),
      finding({ bucket: '10:00:00', ip: '203.0.113.61', unique: 10, attempts: 10, sample: users(1, 10), apps: [], first: '10:10:00', last: '10:10:09', minutes: 1, rate: 10, verdict: LOW }),
      finding({ bucket: '10:00:00', ip: '203.0.113.62', unique: 10, attempts: 10, sample: users(1, 10), apps: ['Azure Portal', 'Office 365'], first: '10:20:00', last: '10:20:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })
})

describe('parity: UsernameSample', () => {
  it('holds the first 25 users seen, listed alphabetically: the 26th seen is left out', async () => {
    // seen order: user25, user24, …, user01, then aaron, abby, abe, abel, ada (who all sort before
    // "user"), then user01 and aaron again
    const seen = [...users(1, 25).reverse(), ...['aaron', 'abby', 'abe', 'abel', 'ada'].map((n) => `${n}@contoso.com`), user(1), 'aaron@contoso.com']
    await load(
      'sample',
      seen.map((upn, k) => ({ t: at('10:00:00') + k * 1000, upn, ip: '203.0.113.70' })),
    )
    await expectFindings('sample', [
      finding({
        bucket: '10:00:00',
        ip: '203.0.113.70',
        unique: 30,
        attempts: 32,
        sample: users(1, 25),
        first: '10:00:00',
        last: '10:00:31',
        minutes: 1,
        rate: 30,
        verdict: MODERATE,
      }),
    ])
  })
})

describe('parity: time', () => {
  it('keeps milliseconds and truncates further digits: 10:59:59.9999999Z stays in the 10:00 bucket', async () => {
    const events: GraphEv[] = [
      { t: `${DAY}T10:00:00.1239999Z`, upn: user(1) },
      ...users(2, 9).map((upn, k) => ({ t: `${DAY}T10:20:0${k + 2}.5Z`, upn })),
      // rounded instead of truncated this would be 11:00:00.000, leaving 9 users at 10:00
      { t: `${DAY}T10:59:59.9999999Z`, upn: user(10) },
    ]
    await load('fractions', graphPage(events.map((e) => ({ ...e, ip: '203.0.113.80' }))), 'signins.json', 'graph')
    // 10:00:00.123 → 10:59:59.999 is 3 599 876 ms = 59.9979… min → 60.0; 10 / 60 = 0.1666… → 0.17
    await expectFindings('fractions', [
      finding({ bucket: '10:00:00', ip: '203.0.113.80', unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00.123', last: '10:59:59.999', minutes: 60, rate: 0.17, verdict: LOW }),
    ])
  })

  it('measures the duration in milliseconds: 62 999 ms is 1.0 minute, not 1.05 → 1.1', async () => {
    const events: Ev[] = [
      { t: at('10:00:00.001'), upn: user(1), ip: '203.0.113.82' },
      ...burst(8, '10:00:01', { ip: '203.0.113.82' }, { first: 2 }),
      { t: at('10:01:03.000'), upn: user(10), ip: '203.0.113.82' },
    ]
    await load('millis', events)
    await expectFindings('millis', [
      finding({ bucket: '10:00:00', ip: '203.0.113.82', unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00.001', last: '10:01:03.000', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })

  it('converts time-zone offsets of diagnostic records to UTC (and ignores the ingestion `time`)', async () => {
    const created = [
      '2026-03-02T05:10:00-05:00', // 10:10Z
      '2026-03-02T15:45:00+05:30', // 10:15Z
      '2026-03-01T23:59:00-11:00', // 10:59Z the next day
      '2026-03-02T11:20:00+01:00', // 10:20Z
      '2026-03-02T10:30:00Z',
      '2026-03-02T10:31:00+00:00',
      '2026-03-02T02:32:00-08:00', // 10:32Z
      '2026-03-02T19:33:00+09:00', // 10:33Z
      '2026-03-02T10:34:00.5+00:00', // 10:34:00.500Z
      '2026-03-02T06:35:00.1234567-04:00', // 10:35:00.123Z
    ]
    await load('offsets-diagnostic', diagnosticLines(created.map((t, k) => ({ t, upn: user(k + 1), ip: '203.0.113.90' }))), 'PT1H.json', 'diagnostic')
    // 10:10 → 10:59 is 49 minutes; 10 / 49 = 0.204… → 0.2
    await expectFindings('offsets-diagnostic', [
      finding({ bucket: '10:00:00', ip: '203.0.113.90', unique: 10, attempts: 10, sample: users(1, 10), first: '10:10:00', last: '10:59:00', minutes: 49, rate: 0.2, verdict: LOW }),
    ])
  })

  it('converts time-zone offsets of Graph objects to UTC, across a date line', async () => {
    const created = [
      '2026-03-03T00:15:00+14:00', // 2026-03-02 10:15Z
      '2026-03-02T00:16:00-10:00', // 10:16Z
      ...[17, 18, 19, 20, 21, 22, 23, 24].map((m) => `2026-03-02T12:${m}:00+02:00`), // 10:17Z … 10:24Z
    ]
    await load('offsets-graph', graphPage(created.map((t, k) => ({ t, upn: user(k + 1), ip: '203.0.113.91' }))), 'signins.json', 'graph')
    // 10:15 → 10:24 is 9 minutes; 10 / 9 = 1.111… → 1.11
    await expectFindings('offsets-graph', [
      finding({ bucket: '10:00:00', ip: '203.0.113.91', unique: 10, attempts: 10, sample: users(1, 10), first: '10:15:00', last: '10:24:00', minutes: 9, rate: 1.11, verdict: LOW }),
    ])
  })
})

describe('parity: DurationMinutes and EnumerationRatePerMin rounding', () => {
  it('DurationMinutes is 1 under a minute, else rounded to 1 decimal; the rate to 2; both half away from zero', async () => {
    // [ip, users, DurationMs]: users-1 users one second apart from 10:00:00, the last at 10:00:00 + DurationMs
    const groups: [string, number, number][] = [
      ['192.0.2.1', 10, 59_999],
      ['192.0.2.2', 10, 60_000],
      ['192.0.2.3', 10, 195_000],
      ['192.0.2.4', 10, 69_000],
      ['192.0.2.5', 10, 192_000],
      ['192.0.2.6', 10, 480_000],
      ['192.0.2.7', 13, 96_000],
      ['192.0.2.8', 10, 63_000],
      ['192.0.2.9', 10, 87_000],
      ['192.0.2.10', 21, 96_000],
    ]
    const events = [
      ...groups.flatMap(([ip, n, durationMs]) => [...burst(n - 1, '10:00:00', { ip }), { t: at('10:00:00') + durationMs, upn: user(n), ip }]),
      // all ten in the same millisecond: DurationMs 0
      ...users(1, 10).map((upn) => ({ t: at('10:00:00'), upn, ip: '192.0.2.11' })),
    ]
    await load('rounding', events)
    const row = (ip: string, n: number, last: string, minutes: number, rate: number, verdict: Verdict = LOW) =>
      finding({ bucket: '10:00:00', ip, unique: n, attempts: n, sample: users(1, n), first: '10:00:00', last, minutes, rate, verdict })
    await expectFindings('rounding', [
      row('192.0.2.10', 21, '10:01:36', 1.6, 13.13, MODERATE), // 96 000 ms = 1.6; 21 / 1.6 = 13.125 → 13.13
      row('192.0.2.7', 13, '10:01:36', 1.6, 8.13), // 13 / 1.6 = 8.125 → 8.13 (not 8.12)
      row('192.0.2.1', 10, '10:00:59.999', 1, 10), // 59 999 ms < 60 000 → 1
      row('192.0.2.11', 10, '10:00:00', 1, 10), // 0 ms → 1 ("192.0.2.11" sorts before "192.0.2.2" as text)
      row('192.0.2.2', 10, '10:01:00', 1, 10), // 60 000 ms → 1.0
      row('192.0.2.3', 10, '10:03:15', 3.3, 3.03), // 195 000 ms = 3.25 → 3.3; 10 / 3.3 = 3.0303… → 3.03
      row('192.0.2.4', 10, '10:01:09', 1.2, 8.33), // 69 000 ms = 1.15 → 1.2; 10 / 1.2 = 8.333… → 8.33
      row('192.0.2.5', 10, '10:03:12', 3.2, 3.13), // 192 000 ms = 3.2; 10 / 3.2 = 3.125 → 3.13 (not 3.12)
      row('192.0.2.6', 10, '10:08:00', 8, 1.25), // 480 000 ms = 8.0; 10 / 8 = 1.25
      row('192.0.2.8', 10, '10:01:03', 1.1, 9.09), // 63 000 ms = 1.05 → 1.1; 10 / 1.1 = 9.0909… → 9.09
      row('192.0.2.9', 10, '10:01:27', 1.5, 6.67), // 87 000 ms = 1.45 → 1.5; 10 / 1.5 = 6.666… → 6.67
    ])
  })
})
