import { describe, expect, it } from 'vitest'
import { APP, CLIENT, DAY, expectFindings, finding, IP, load, LOW, nextSeq, UA, user, users } from '../helpers/parity-kit'
import { useTestDatabase } from '../helpers/test-database'

// Parity with the reference rule (docs/reference/reference-rule.md) across source formats: which field is
// the event time in each (portal CSV "Date (UTC)" as ISO 8601 or Excel's M/D/YYYY h:mm:ss AM/PM,
// Log Analytics "CreatedDateTime [UTC]" before the later "TimeGenerated [UTC]", portal JSON
// createdDateTime), and de-duplication on the source's event id across formats (Graph `id`,
// portal "Request ID", Log Analytics `Id`). Expectations worked out by hand from the rule text.
useTestDatabase()

// ---------------------------------------------------------------- the formats' builders
const cell = (value: string) => `"${value.replaceAll('"', '""')}"`
const csv = (header: string[], rows: string[][]) => [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'

interface Row {
  t: string
  upn: string
  id?: string
  ip?: string
}
const PORTAL_HEADER = ['Date (UTC)', 'Request ID', 'User agent', 'Username', 'Application', 'IP address', 'Sign-in error code', 'Client app']
const portalCsv = (rows: Row[]) => csv(PORTAL_HEADER, rows.map((r) => [r.t, r.id ?? `portal-${nextSeq()}`, UA, r.upn, APP, r.ip ?? IP, '50034', CLIENT]))

const LA_HEADER = ['TimeGenerated [UTC]', 'CreatedDateTime [UTC]', 'Id', 'UserPrincipalName', 'IPAddress', 'ClientAppUsed', 'UserAgent', 'AppDisplayName', 'ResultType']
const logAnalyticsCsv = (rows: (Row & { generated: string })[]) =>
  csv(LA_HEADER, rows.map((r) => [r.generated, r.t, r.id ?? `la-${nextSeq()}`, r.upn, r.ip ?? IP, CLIENT, UA, APP, '50034']))

const graphObject = (r: Row) => ({
  id: r.id ?? `graph-${nextSeq()}`,
  createdDateTime: r.t,
  userPrincipalName: r.upn,
  ipAddress: r.ip ?? IP,
  clientAppUsed: CLIENT,
  userAgent: UA,
  appDisplayName: APP,
  status: { errorCode: 50034 },
})
const graphPage = (rows: Row[]) => JSON.stringify({ value: rows.map(graphObject) })
const portalJson = (rows: Row[]) => JSON.stringify(rows.map(graphObject), null, 2)
// ----------------------------------------------------------------------------------------

describe('parity: which field is the event time', () => {
  it('portal CSV "Date (UTC)": ISO 8601 and Excel M/D/YYYY h:mm:ss AM/PM, both UTC', async () => {
    const rows: Row[] = [
      // ISO 8601 and an Excel re-save mixed in one group: 10:10-10:14 and 10:45-10:49
      ...[10, 11, 12, 13, 14].map((m, k) => ({ t: `${DAY}T10:${m}:00Z`, upn: user(k + 1), ip: '203.0.113.200' })),
      ...[45, 46, 47, 48, 49].map((m, k) => ({ t: `3/2/2026 10:${m}:00 AM`, upn: user(k + 6), ip: '203.0.113.200' })),
      // 1 PM is 13:00, 12 PM is noon, 12 AM is midnight
      ...users(1, 10).map((upn, k) => ({ t: `3/2/2026 1:0${k}:00 PM`, upn, ip: '203.0.113.201' })),
      ...users(1, 10).map((upn, k) => ({ t: `3/2/2026 12:0${k}:00 PM`, upn, ip: '203.0.113.202' })),
      ...users(1, 10).map((upn, k) => ({ t: `3/2/2026 12:0${k}:00 AM`, upn, ip: '203.0.113.203' })),
    ]
    await load('portal-csv-times', portalCsv(rows), 'InteractiveSignIns_2026-03-02_2026-03-02.csv', 'portal-csv')
    const ten = (bucket: string, ip: string, first: string, last: string, minutes: number, rate: number) =>
      finding({ bucket, ip, unique: 10, attempts: 10, sample: users(1, 10), first, last, minutes, rate, verdict: LOW })
    await expectFindings('portal-csv-times', [
      ten('00:00:00', '203.0.113.203', '00:00:00', '00:09:00', 9, 1.11), // 10 / 9 = 1.111… → 1.11
      ten('10:00:00', '203.0.113.200', '10:10:00', '10:49:00', 39, 0.26), // 10 / 39 = 0.256… → 0.26
      ten('12:00:00', '203.0.113.202', '12:00:00', '12:09:00', 9, 1.11),
      ten('13:00:00', '203.0.113.201', '13:00:00', '13:09:00', 9, 1.11),
    ])
  })

  it('Log Analytics: "CreatedDateTime [UTC]" is the time, "TimeGenerated [UTC]" (ingestion, seconds later) only a fallback', async () => {
    const rows = [
      // signed in 10:59:50.123-10:59:59.123, ingested 11:00:00.456-11:00:09.456: the 10:00 bucket
      ...users(1, 10).map((upn, k) => ({ t: `3/2/2026, 10:59:5${k}.123 AM`, generated: `3/2/2026, 11:00:0${k}.456 AM`, upn, ip: '203.0.113.210' })),
      // no CreatedDateTime: TimeGenerated 14:00:00-14:00:09
      ...users(1, 10).map((upn, k) => ({ t: '', generated: `3/2/2026, 2:00:0${k}.000 PM`, upn, ip: '203.0.113.211' })),
    ]
    await load('la-times', logAnalyticsCsv(rows), 'query_data.csv', 'log-analytics-csv')
    await expectFindings('la-times', [
      finding({ bucket: '10:00:00', ip: '203.0.113.210', unique: 10, attempts: 10, sample: users(1, 10), first: '10:59:50.123', last: '10:59:59.123', minutes: 1, rate: 10, verdict: LOW }),
      finding({ bucket: '14:00:00', ip: '203.0.113.211', unique: 10, attempts: 10, sample: users(1, 10), first: '14:00:00', last: '14:00:09', minutes: 1, rate: 10, verdict: LOW }),
    ])
  })

  it('portal JSON download: createdDateTime', async () => {
    await load('portal-json-times', portalJson(users(1, 10).map((upn, k) => ({ t: `${DAY}T10:5${k}:00.0000000Z`, upn }))), 'SignIns_2026-03-02.json', 'portal-json')
    // 10:50 → 10:59 is 9 minutes; 10 / 9 = 1.111… → 1.11
    await expectFindings('portal-json-times', [
      finding({ bucket: '10:00:00', unique: 10, attempts: 10, sample: users(1, 10), first: '10:50:00', last: '10:59:00', minutes: 9, rate: 1.11, verdict: LOW }),
    ])
  })
})

describe('parity: the same event from several formats counts once', () => {
  it('Graph id = portal "Request ID" = Log Analytics Id', async () => {
    // ten sign-ins as Graph returned them
    const shared: Row[] = users(1, 10).map((upn, k) => ({ t: `${DAY}T10:00:0${k}Z`, upn, id: `6f0c2d1e-0000-4000-8000-00000000000${k}` }))
    expect((await load('across', graphPage(shared), 'signins.json', 'graph')).rowsInserted).toBe(10)
    // the portal CSV of the same sign-ins, plus user11
    const portal = await load('across', portalCsv([...shared, { t: `${DAY}T10:00:10Z`, upn: user(11) }]), 'InteractiveSignIns.csv', 'portal-csv')
    expect([portal.rowsInserted, portal.rowsDuplicate]).toEqual([1, 10])
    // Log Analytics rows of the same sign-ins (locale dates), plus user12
    const la = await load(
      'across',
      logAnalyticsCsv([
        ...shared.map((r, k) => ({ ...r, t: `3/2/2026, 10:00:0${k}.000 AM`, generated: `3/2/2026, 10:00:1${k}.000 AM` })),
        { t: '3/2/2026, 10:00:11.000 AM', generated: '3/2/2026, 10:00:20.000 AM', upn: user(12) },
      ]),
      'query_data.csv',
      'log-analytics-csv',
    )
    expect([la.rowsInserted, la.rowsDuplicate]).toEqual([1, 10])
    // the portal JSON download of the same sign-ins, plus user13
    const json = await load('across', portalJson([...shared, { t: `${DAY}T10:00:12Z`, upn: user(13) }]), 'SignIns.json', 'portal-json')
    expect([json.rowsInserted, json.rowsDuplicate]).toEqual([1, 10])
    await expectFindings('across', [
      finding({ bucket: '10:00:00', unique: 13, attempts: 13, sample: users(1, 13), first: '10:00:00', last: '10:00:12', minutes: 1, rate: 13, verdict: LOW }),
    ])
  })
})
