import { describe, expect, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { findEnumeration, type Verdict } from '@/lib/detection/enumeration'
import { findingsJson } from '../helpers/ingest'
import { at, burst, expectFindings, finding, HIGH, IP, iso, load, LOW, MODERATE, ndjson, UA, user, users, type Ev } from '../helpers/parity-kit'
import { useTestDatabase } from '../helpers/test-database'

// Parity with the reference rule (docs/reference/reference-rule.md, "parity mode"): which events count,
// how they are grouped, de-duplicated and ordered, and the verdict tiers. Every expectation below
// is worked out by hand from the rule text. Each case ingests small synthetic LogScale NDJSON into
// a dataset of its own and checks the CLI's findings JSON from the app's own path (findingsJson)
// and from both SQL variants (events always; rollup whenever it can answer the query).
useTestDatabase()

describe('parity: verdict tiers', () => {
  // n users one second apart from 10:00:00: LastSeen 10:00:(n-1) < 1 minute, so DurationMinutes 1
  // and the rate is n; the sample is the first 25 seen (user01.. in seen and alphabetical order).
  const tiers: [number, Verdict | null][] = [
    [9, null],
    [10, LOW],
    [19, LOW],
    [20, MODERATE],
    [49, MODERATE],
    [50, HIGH],
  ]
  it.each(tiers.map(([n, verdict]) => ({ n, verdict, label: verdict ?? 'no finding' })))('$n distinct users → $label', async ({ n, verdict }) => {
    const dataset = `tier-${n}`
    await load(dataset, burst(n, '10:00:00'))
    const expected =
      verdict === null
        ? []
        : [
            finding({
              bucket: '10:00:00',
              unique: n,
              attempts: n,
              sample: users(1, Math.min(n, 25)),
              first: '10:00:00',
              last: `10:00:${String(n - 1).padStart(2, '0')}`,
              minutes: 1,
              rate: n,
              verdict,
            }),
          ]
    await expectFindings(dataset, expected)
  })

  it('the JSON has exactly the CLI contract keys', async () => {
    await load('keys', burst(10, '10:00:00'))
    const [only] = await findingsJson('keys')
    expect(Object.keys(only).sort()).toEqual(
      [
        'bucket',
        'ipAddress',
        'clientAppUsed',
        'userAgent',
        'uniqueUsernames',
        'attemptCount',
        'usernameSample',
        'appList',
        'firstSeen',
        'lastSeen',
        'durationMinutes',
        'enumerationRatePerMin',
        'verdict',
      ].sort(),
    )
  })
})

describe('parity: which events count', () => {
  it('only 50034/50053/50055/50056 match, as a whole trimmed string of digits, number or string', async () => {
    const events: Ev[] = [
      // matches: the string "50034", plus one excluded attempt by user01 that changes nothing
      ...burst(10, '10:00:00', { ip: '198.51.100.1', code: '50034' }),
      { t: at('10:00:30'), upn: user(1), ip: '198.51.100.1', code: '50126', app: 'Excluded App' },
      // matches: the number 50034
      ...burst(10, '10:00:00', { ip: '198.51.100.2', code: 50034 }),
      // none of these codes is in the rule
      ...burst(10, '10:00:00', { ip: '198.51.100.3', code: '50126' }),
      ...burst(10, '10:00:00', { ip: '198.51.100.4', code: 0 }),
      ...burst(10, '10:00:00', { ip: '198.51.100.5', code: '50057' }),
      ...burst(10, '10:00:00', { ip: '198.51.100.6', code: '500341' }),
      ...burst(10, '10:00:00', { ip: '198.51.100.10', code: '5003' }),
      ...burst(10, '10:00:00', { ip: '198.51.100.11', code: 500341 }),
      // the other three codes of the rule, mixed in one group
      ...burst(4, '10:00:00', { ip: '198.51.100.7', code: '50053' }),
      ...burst(3, '10:00:04', { ip: '198.51.100.7', code: 50055 }, { first: 5 }),
      ...burst(3, '10:00:07', { ip: '198.51.100.7', code: '50056' }, { first: 8 }),
      // a padded string is trimmed
      ...burst(10, '10:00:00', { ip: '198.51.100.8', code: ' 50034 ' }),
      // 12 distinct users, but only 9 with a matching code: no finding
      ...burst(9, '10:00:00', { ip: '198.51.100.9', code: '50034' }),
      { t: at('10:00:09'), upn: user(10), ip: '198.51.100.9', code: '50126' },
      { t: at('10:00:10'), upn: user(11), ip: '198.51.100.9', code: null },
      { t: at('10:00:11'), upn: user(12), ip: '198.51.100.9', code: undefined },
    ]
    await load('codes', events)
    const ten = (ip: string) =>
      finding({ bucket: '10:00:00', ip, unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00', last: '10:00:09', minutes: 1, rate: 10, verdict: LOW })
    // all tie on 10 users, 10 attempts and the bucket: IP as text decides
    await expectFindings('codes', [ten('198.51.100.1'), ten('198.51.100.2'), ten('198.51.100.7'), ten('198.51.100.8')])
  })

  it('an empty, blank, null or absent UPN or IP drops the event: neither a username nor an attempt', async () => {
    const blanks = ['', '   ', null, undefined]
    const events: Ev[] = [
      ...burst(10, '10:00:00', { ip: '203.0.113.20' }),
      // same group, no user: if any counted, there would be 11+ users or 11+ attempts and a later LastSeen
      ...blanks.map((upn, k) => ({ t: at('10:00:20') + k * 1000, upn, ip: '203.0.113.20' })),
      // ten more users without an IP: they must not form a group of their own ("" / null IP)
      ...burst(10, '10:00:30', {}, { first: 11 }).map((e, k) => ({ ...e, ip: blanks[k % 4] })),
    ]
    const report = await load('blanks', events)
    expect(report.rowsRead).toBe(24)
    await expectFindings('blanks', [
      finding({ bucket: '10:00:00', ip: '203.0.113.20', unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00', last: '10:00:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })

  it('a whitespace-only UPN is not a tenth user', async () => {
    await load('blank-tenth', [...burst(9, '10:00:00'), { t: at('10:00:09'), upn: '   ' }, { t: at('10:00:10'), upn: '' }])
    await expectFindings('blank-tenth', [])
  })
})

describe('parity: normalising the grouping keys', () => {
  it('UPNs differing only in case and surrounding spaces are one user', async () => {
    const events: Ev[] = [
      { t: at('10:00:00'), upn: 'Alice@X.com', ip: '203.0.113.30' },
      ...burst(9, '10:00:01', { ip: '203.0.113.30' }),
      { t: at('10:00:10'), upn: 'alice@x.com ', ip: '203.0.113.30' },
      { t: at('10:00:11'), upn: ' ALICE@X.COM', ip: '203.0.113.30' },
      // eight users plus Alice three ways is nine users: no finding
      { t: at('10:00:00'), upn: 'Alice@X.com', ip: '203.0.113.31' },
      ...burst(8, '10:00:01', { ip: '203.0.113.31' }),
      { t: at('10:00:10'), upn: 'alice@x.com ', ip: '203.0.113.31' },
      { t: at('10:00:11'), upn: ' ALICE@X.COM', ip: '203.0.113.31' },
    ]
    await load('upn-case', events)
    await expectFindings('upn-case', [
      finding({
        bucket: '10:00:00',
        ip: '203.0.113.30',
        unique: 10,
        attempts: 12,
        sample: ['alice@x.com', ...users(1, 9)],
        first: '10:00:00',
        last: '10:00:11',
        minutes: 1,
        rate: 10,
        verdict: LOW,
      }),
    ])
  })

  it('two user agents on one IP are two groups; a third with 5 users is nothing', async () => {
    const events: Ev[] = [
      ...burst(12, '10:00:00', { ip: '203.0.113.40', ua: 'Mozilla/5.0 (X11; Linux x86_64)' }),
      ...burst(10, '10:10:00', { ip: '203.0.113.40', ua: 'python-requests/2.31.0' }, { first: 13 }),
      ...burst(5, '10:20:00', { ip: '203.0.113.40', ua: 'curl/8.5.0' }, { first: 23 }),
    ]
    await load('two-agents', events)
    await expectFindings('two-agents', [
      finding({ bucket: '10:00:00', ip: '203.0.113.40', ua: 'Mozilla/5.0 (X11; Linux x86_64)', unique: 12, attempts: 12, sample: users(1, 12), first: '10:00:00', last: '10:00:11', minutes: 1, rate: 12, verdict: LOW }),
      finding({ bucket: '10:00:00', ip: '203.0.113.40', ua: 'python-requests/2.31.0', unique: 10, attempts: 10, sample: users(13, 22), first: '10:10:00', last: '10:10:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })

  it('client app and user agent are verbatim: not trimmed, and missing ones form the "" group', async () => {
    const missing = [undefined, '', null]
    const events: Ev[] = [
      // "Browser": 10 users, 3 repeats → 13 attempts
      ...burst(10, '10:00:00', { ip: '203.0.113.41', client: 'Browser' }),
      ...burst(3, '10:00:10', { ip: '203.0.113.41', client: 'Browser' }),
      // "Browser " (trailing space) is another group: 10 users, 2 repeats → 12 attempts
      ...burst(10, '10:01:00', { ip: '203.0.113.41', client: 'Browser ' }, { first: 11 }),
      ...burst(2, '10:01:10', { ip: '203.0.113.41', client: 'Browser ' }, { first: 11 }),
      // absent / "" / null client app: one "" group, 10 users, 1 repeat → 11 attempts
      ...burst(10, '10:02:00', { ip: '203.0.113.41' }, { first: 21 }).map((e, k) => ({ ...e, client: missing[k % 3] })),
      { t: at('10:02:10'), upn: user(21), ip: '203.0.113.41', client: undefined },
      // absent / "" / null user agent: one "" group on another IP, 10 attempts
      ...burst(10, '10:03:00', { ip: '203.0.113.42' }, { first: 31 }).map((e, k) => ({ ...e, ua: missing[k % 3] })),
    ]
    await load('verbatim', events)
    await expectFindings('verbatim', [
      finding({ bucket: '10:00:00', ip: '203.0.113.41', client: 'Browser', unique: 10, attempts: 13, sample: users(1, 10), first: '10:00:00', last: '10:00:12', minutes: 1, rate: 10, verdict: LOW }),
      finding({ bucket: '10:00:00', ip: '203.0.113.41', client: 'Browser ', unique: 10, attempts: 12, sample: users(11, 20), first: '10:01:00', last: '10:01:11', minutes: 1, rate: 10, verdict: LOW }),
      finding({ bucket: '10:00:00', ip: '203.0.113.41', client: '', unique: 10, attempts: 11, sample: users(21, 30), first: '10:02:00', last: '10:02:10', minutes: 1, rate: 10, verdict: LOW }),
      finding({ bucket: '10:00:00', ip: '203.0.113.42', ua: '', unique: 10, attempts: 10, sample: users(31, 40), first: '10:03:00', last: '10:03:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })

  it('a user agent and client app with backslashes, tabs, newlines, quotes and non-ASCII come back exactly', async () => {
    const ua = 'Mozilla\\5.0\t"probe"\r\nX-Forwarded: ü 中文 \\N'
    const client = ' Other clients; \\t '
    await load('odd-text', burst(10, '10:00:00', { ip: '203.0.113.43', ua, client }))
    await expectFindings('odd-text', [
      finding({ bucket: '10:00:00', ip: '203.0.113.43', client, ua, unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00', last: '10:00:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })

  it('IPv6 and IPv4 written several ways are one address each, printed canonically', async () => {
    const v6 = ['2001:db8::42', '2001:DB8:0:0:0:0:0:42', '2001:0db8:0000:0000:0000:0000:0000:0042', ' 2001:db8::42 ']
    const v4 = ['203.0.113.77', ' 203.0.113.77 ', '203.0.113.77\t']
    const events: Ev[] = [
      ...burst(10, '10:00:00').map((e, k) => ({ ...e, ip: v6[k % v6.length] })),
      ...burst(10, '10:05:00', {}, { first: 11 }).map((e, k) => ({ ...e, ip: v4[k % v4.length] })),
    ]
    await load('addresses', events)
    await expectFindings('addresses', [
      // tie on users, attempts and bucket: "2001:db8::42" < "203.0.113.77" as text
      finding({ bucket: '10:00:00', ip: '2001:db8::42', unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00', last: '10:00:09', minutes: 1, rate: 10, verdict: LOW }),
      finding({ bucket: '10:00:00', ip: '203.0.113.77', unique: 10, attempts: 10, sample: users(11, 20), first: '10:05:00', last: '10:05:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })
})

describe('parity: the same event twice counts once, two events are two', () => {
  const fileA = ndjson(burst(10, '10:00:00').map((e, k) => ({ ...e, id: `a-${k + 1}` })))

  it('the same ids in a second file count once', async () => {
    await load('dup-files', fileA, 'export-1.ndjson')
    // users 6-10 again with the same ids (an overlapping export), and one new user
    const fileB = ndjson([...burst(5, '10:00:05', {}, { first: 6 }).map((e, k) => ({ ...e, id: `a-${k + 6}` })), { t: at('10:00:10'), upn: user(11), id: 'b-11' }])
    const report = await load('dup-files', fileB, 'export-2.ndjson')
    expect(report.rowsInserted).toBe(1)
    expect(report.rowsDuplicate).toBe(5)
    await expectFindings('dup-files', [
      finding({ bucket: '10:00:00', unique: 11, attempts: 11, sample: users(1, 11), first: '10:00:00', last: '10:00:10', minutes: 1, rate: 11, verdict: LOW }),
    ])
  })

  it('the same file imported twice changes nothing', async () => {
    const first = await load('dup-same-file', fileA)
    const second = await load('dup-same-file', fileA)
    expect([first.rowsInserted, first.rowsDuplicate]).toEqual([10, 0])
    expect([second.rowsInserted, second.rowsDuplicate]).toEqual([0, 10])
    await expectFindings('dup-same-file', [
      finding({ bucket: '10:00:00', unique: 10, attempts: 10, sample: users(1, 10), first: '10:00:00', last: '10:00:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })

  it('the same id twice within one file counts once', async () => {
    const events = [...burst(10, '10:00:00'), { t: at('10:00:30'), upn: user(1), id: 'twice' }, { t: at('10:00:30'), upn: user(1), id: 'twice' }]
    const report = await load('dup-in-file', events)
    expect(report.rowsDuplicate).toBe(1)
    await expectFindings('dup-in-file', [
      finding({ bucket: '10:00:00', unique: 10, attempts: 11, sample: users(1, 10), first: '10:00:00', last: '10:00:30', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })

  it('two events identical in every field but their id are two attempts', async () => {
    const events = [...burst(10, '10:00:00'), { t: at('10:00:00'), upn: user(1), id: 'same-but-id-1' }, { t: at('10:00:00'), upn: user(1), id: 'same-but-id-2' }]
    const report = await load('twin-events', events)
    expect(report.rowsInserted).toBe(12)
    await expectFindings('twin-events', [
      finding({ bucket: '10:00:00', unique: 10, attempts: 12, sample: users(1, 10), first: '10:00:00', last: '10:00:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })
})

describe('parity: buckets and order', () => {
  it('a burst split by an hour boundary is counted per UTC hour', async () => {
    const events: Ev[] = [
      // 24 users one a minute from 10:48: users 1-12 in the 10:00 hour, 13-24 in the 11:00 hour,
      // and user01 again at 11:12, so the 11:00 hour has 13 users
      ...burst(24, '10:48:00', { ip: '203.0.113.50' }, { stepMs: 60_000 }),
      { t: at('11:12:00'), upn: user(1), ip: '203.0.113.50' },
      // 16 users one a minute from 10:52: 8 and 8, so nothing (the rule's documented blind spot)
      ...burst(16, '10:52:00', { ip: '203.0.113.51' }, { stepMs: 60_000 }),
    ]
    await load('hour-split', events)
    await expectFindings('hour-split', [
      // 11:00:00 → 11:12:00 is 12 minutes; 13 / 12 = 1.0833… → 1.08
      finding({ bucket: '11:00:00', ip: '203.0.113.50', unique: 13, attempts: 13, sample: [user(1), ...users(13, 24)], first: '11:00:00', last: '11:12:00', minutes: 12, rate: 1.08, verdict: LOW }),
      // 10:48 → 10:59 is 11 minutes; 12 / 11 = 1.0909… → 1.09
      finding({ bucket: '10:00:00', ip: '203.0.113.50', unique: 12, attempts: 12, sample: users(1, 12), first: '10:48:00', last: '10:59:00', minutes: 11, rate: 1.09, verdict: LOW }),
    ])
  })

  it('orders by unique users desc, attempts desc, bucket asc, then IP as text', async () => {
    // 11 users one second apart from start, then user01 again: 12 attempts
    const elevenTwelve = (start: string, fields: Partial<Ev>) => [...burst(11, start, fields), { ...fields, t: at(start) + 11_000, upn: user(1) }]
    const events: Ev[] = [
      ...burst(20, '11:00:00', { ip: '10.0.0.9' }), // 20 users: first
      ...burst(12, '10:00:00', { ip: '10.0.0.5' }), // 12 users
      ...burst(11, '10:10:00', { ip: '9.0.0.1', ua: 'curl/8.0' }), // 11 users, 14 attempts
      ...burst(3, '10:10:11', { ip: '9.0.0.1', ua: 'curl/8.0' }),
      ...elevenTwelve('09:00:00', { ip: '9.0.0.1' }), // 11/12 in the 09:00 bucket
      ...elevenTwelve('10:20:00', { ip: '10.0.0.2' }), // 11/12 at 10:00: "10.0.0.2" < "2001:db8::1" < "9.0.0.1"
      ...elevenTwelve('10:30:00', { ip: '2001:db8::1' }),
      ...elevenTwelve('10:40:00', { ip: '9.0.0.1' }),
    ]
    await load('order', events)
    const keys = (await findingsJson('order')).map((f) => [f.bucket, f.ipAddress, f.userAgent, f.uniqueUsernames, f.attemptCount])
    const expected = [
      [iso('11:00:00'), '10.0.0.9', UA, 20, 20],
      [iso('10:00:00'), '10.0.0.5', UA, 12, 12],
      [iso('10:00:00'), '9.0.0.1', 'curl/8.0', 11, 14],
      [iso('09:00:00'), '9.0.0.1', UA, 11, 12],
      [iso('10:00:00'), '10.0.0.2', UA, 11, 12],
      [iso('10:00:00'), '2001:db8::1', UA, 11, 12],
      [iso('10:00:00'), '9.0.0.1', UA, 11, 12],
    ]
    expect(keys).toStrictEqual(expected)
    const { id } = await findOrCreateDataset('order')
    for (const source of ['events', 'rollup'] as const) {
      const viaSource = (await findEnumeration({ datasetIds: [id] }, source)).map((f) => [f.bucket.toISOString(), f.ipAddress, f.userAgent, f.uniqueUsernames, f.attemptCount])
      expect(viaSource, source).toStrictEqual(expected)
    }
  })
})
