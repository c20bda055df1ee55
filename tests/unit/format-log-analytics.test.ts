import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { logAnalyticsJsonFormat } from '@/lib/ingest/formats/log-analytics'
import { realExportPath } from '../helpers/paths'
import { iso, readLog, readOne } from '../helpers/read-log'

// Log Analytics / Sentinel SigninLogs and AADNonInteractiveUserSignInLogs
// (docs/reference/signin-formats.md §3.2-3.4): "Export to CSV" with ` [UTC]` columns holding
// locale-formatted dates and JSON in cells, sometimes split into _dynamic/_string pairs; and JSON
// rows whose dynamic columns may be JSON text.

const HEADER =
  'TenantId,TimeGenerated [UTC],OperationName,Category,ResultType,ResultDescription,AppDisplayName,AppId,AutonomousSystemNumber,ClientAppUsed,CreatedDateTime [UTC],Id,IPAddress,IsInteractive,Location,LocationDetails,Status,UserAgent,UserPrincipalName,Type'

function laRow(overrides: Record<string, string> = {}, header = HEADER): string {
  const cells: Record<string, string> = {
    TenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70',
    'TimeGenerated [UTC]': '"3/2/2026, 10:14:09.512 AM"',
    OperationName: 'Sign-in activity',
    Category: 'SignInLogs',
    ResultType: '50034',
    ResultDescription: '"The user account does not exist in the contoso.com directory, ..."',
    AppDisplayName: 'Azure Active Directory PowerShell',
    AppId: '1b730954-1685-4b74-9bfd-dac224a7b894',
    AutonomousSystemNumber: '8075',
    ClientAppUsed: 'Mobile Apps and Desktop clients',
    'CreatedDateTime [UTC]': '"3/2/2026, 10:14:07.123 AM"',
    Id: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
    IPAddress: '203.0.113.45',
    IsInteractive: 'TRUE',
    Location: 'NL',
    LocationDetails: '"{""city"":""Amsterdam"",""state"":""Noord-Holland"",""countryOrRegion"":""NL"",""geoCoordinates"":{""latitude"":52.37}}"',
    Status: '"{""errorCode"":50034,""failureReason"":""The user account does not exist""}"',
    UserAgent: 'Mozilla/5.0',
    UserPrincipalName: 'J.Doe@contoso.com',
    Type: 'SigninLogs',
    ...overrides,
  }
  return header.split(',').map((name) => cells[name] ?? '').join(',')
}

const laCsv = (...rows: string[]) => `\ufeff${HEADER}\r\n${rows.join('\r\n')}\r\n`

describe('Log Analytics CSV export', () => {
  it('maps the columns, reading the locale date of CreatedDateTime [UTC] and the JSON cells', async () => {
    const log = await readLog(laCsv(laRow()), 'query_data.csv')
    expect(log.format).toBe('log-analytics-csv')
    expect(log.rejected).toEqual([])
    const event = log.events[0]
    expect(event).toMatchObject({
      sourceEventId: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      userPrincipalName: 'j.doe@contoso.com',
      ipAddress: '203.0.113.45',
      clientAppUsed: 'Mobile Apps and Desktop clients',
      userAgent: 'Mozilla/5.0',
      appDisplayName: 'Azure Active Directory PowerShell',
      appId: '1b730954-1685-4b74-9bfd-dac224a7b894',
      errorCode: '50034',
      failureReason: 'The user account does not exist in the contoso.com directory, ...',
      locationCity: 'Amsterdam',
      locationState: 'Noord-Holland',
      locationCountry: 'NL',
      autonomousSystem: 8075,
      isInteractive: true,
    })
    // the sign-in time, not the ingestion time two seconds later
    expect(iso(event.createdAt)).toBe('2026-03-02T10:14:07.123Z')
  })

  it('falls back to TimeGenerated when CreatedDateTime is absent or empty', async () => {
    const empty = await readOne(laCsv(laRow({ 'CreatedDateTime [UTC]': '' })))
    expect(iso(empty.createdAt)).toBe('2026-03-02T10:14:09.512Z')
    const header = HEADER.replace(',CreatedDateTime [UTC]', '')
    const log = await readLog(`${header}\n${laRow({}, header)}\n`)
    expect(log.rejected).toEqual([])
    expect(iso(log.events[0].createdAt)).toBe('2026-03-02T10:14:09.512Z')
  })

  it('takes the code from Status when ResultType is empty', async () => {
    const event = await readOne(laCsv(laRow({ ResultType: '', ResultDescription: '' })))
    expect(event.errorCode).toBe('50034')
    expect(event.failureReason).toBe('The user account does not exist')
  })

  it('reads interactivity from the table: AADNonInteractiveUserSignInLogs rows are non-interactive', async () => {
    const event = await readOne(laCsv(laRow({ Category: 'NonInteractiveUserSignInLogs', Type: 'AADNonInteractiveUserSignInLogs', IsInteractive: 'FALSE' })))
    expect(event.isInteractive).toBe(false)
  })

  it('skips rows of the service-principal and managed-identity tables', async () => {
    const log = await readLog(laCsv(laRow({ Type: 'AADServicePrincipalSignInLogs', Id: 'sp' }), laRow({ Type: 'AADManagedIdentitySignInLogs', Id: 'mi' }), laRow()))
    expect(log.skipped).toBe(2)
    expect(log.events.map((e) => e.sourceEventId)).toEqual(['4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00'])
  })

  it('reads _dynamic / _string column pairs, whichever of the two holds the JSON', async () => {
    const header = 'CreatedDateTime [UTC],Id,UserPrincipalName,IPAddress,ResultType,Status_dynamic,Status_string,LocationDetails_dynamic,LocationDetails_string'
    const rows = [
      '"3/2/2026, 10:14:07.000 AM",a,a@contoso.com,203.0.113.1,,"{""errorCode"":50053}",,"{""city"":""Azor"",""countryOrRegion"":""IL""}",',
      '"3/2/2026, 10:14:08.000 AM",b,b@contoso.com,203.0.113.1,,,"{""errorCode"":50055}",,"{""city"":""Haifa"",""countryOrRegion"":""IL""}"',
    ]
    const log = await readLog(`${header}\n${rows.join('\n')}\n`)
    expect(log.rejected).toEqual([])
    expect(log.events.map((e) => [e.sourceEventId, e.errorCode, e.locationCity, e.locationCountry])).toEqual([
      ['a', '50053', 'Azor', 'IL'],
      ['b', '50055', 'Haifa', 'IL'],
    ])
  })

  it('rejects a row with an unparseable date, naming the column', async () => {
    const log = await readLog(laCsv(laRow(), laRow({ Id: 'bad', 'CreatedDateTime [UTC]': '"13/2/2026, 10:14:07.000 AM"' })))
    expect(log.events).toHaveLength(1)
    expect(log.rejected).toEqual([{ position: 3, reason: 'unparseable date "13/2/2026, 10:14:07.000 AM" in CreatedDateTime [UTC]', fatal: false }])
  })
})

describe('Log Analytics JSON rows (query API, non-interactive table)', () => {
  const normalise = logAnalyticsJsonFormat.normaliser({ interactiveHint: null })
  const row = {
    TimeGenerated: '2026-03-02T10:14:09.5120000Z',
    CreatedDateTime: '2026-03-02T10:14:07.1239999Z',
    Id: 'nonint-1',
    UserPrincipalName: 'Jane.Roe@contoso.com',
    IPAddress: '203.0.113.45',
    ResultType: '50126',
    AppDisplayName: 'Office 365 Exchange Online',
    ClientAppUsed: 'Browser',
    UserAgent: 'Mozilla/5.0',
    // AADNonInteractiveUserSignInLogs: dynamic columns are JSON text
    Status: '{"errorCode":50126,"failureReason":"Invalid username or password"}',
    LocationDetails: '{"city":"London","state":"England","countryOrRegion":"GB"}',
    Type: 'AADNonInteractiveUserSignInLogs',
  }

  it('parses dynamic fields given as JSON strings', () => {
    const result = normalise({ ...row, ResultType: undefined, ResultDescription: undefined })
    if (result.kind !== 'event') throw new Error(JSON.stringify(result))
    expect(result.event).toMatchObject({
      sourceEventId: 'nonint-1',
      userPrincipalName: 'jane.roe@contoso.com',
      errorCode: '50126',
      failureReason: 'Invalid username or password',
      locationCity: 'London',
      locationState: 'England',
      locationCountry: 'GB',
      isInteractive: false,
    })
    expect(iso(result.event.createdAt)).toBe('2026-03-02T10:14:07.123Z')
  })

  it('reads the same fields when the dynamic columns are objects', () => {
    const result = normalise({ ...row, ResultType: undefined, Status: { errorCode: 50053 }, LocationDetails: { city: 'Paris', countryOrRegion: 'FR' } })
    if (result.kind !== 'event') throw new Error(JSON.stringify(result))
    expect([result.event.errorCode, result.event.locationCity, result.event.locationCountry]).toEqual(['50053', 'Paris', 'FR'])
  })

  it('prefers CreatedDateTime, falls back to TimeGenerated, and rejects a row with neither', () => {
    const fallback = normalise({ ...row, CreatedDateTime: null })
    expect(fallback.kind === 'event' && iso(fallback.event.createdAt)).toBe('2026-03-02T10:14:09.512Z')
    expect(normalise({ ...row, CreatedDateTime: undefined, TimeGenerated: undefined })).toEqual({
      kind: 'rejected',
      reason: 'missing timestamp (CreatedDateTime)',
    })
  })

  it('is detected from JSON Lines content', async () => {
    const log = await readLog(`${JSON.stringify(row)}\n${JSON.stringify({ ...row, Id: 'nonint-2' })}\n`, 'rows.json')
    expect(log.format).toBe('log-analytics-json')
    expect(log.events.map((e) => e.sourceEventId)).toEqual(['nonint-1', 'nonint-2'])
  })
})

describe('the real Sentinel Training Lab export (tests/fixtures/entra-signin)', () => {
  const bytes = readFileSync(realExportPath)

  it('is the file its README describes (BOM, CRLF, sha256)', () => {
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(bytes.includes('\r\n')).toBe(true)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('290764c77138541a8d053a68f8899cc442c0094988e5653dcb725305b46ce37f')
  })

  it('parses all 56 rows: one user, one IP, codes 53×0, 2×16000, 1×50058, 14:08:45.221Z-15:19:08.373Z', async () => {
    const log = await readLog(bytes, 'azure-sentinel-training-lab_sign-in_adelete.csv')
    expect(log.format).toBe('log-analytics-csv')
    expect(log.rejected).toEqual([])
    expect(log.skipped).toBe(0)
    expect(log.events).toHaveLength(56)
    expect(new Set(log.events.map((e) => e.sourceEventId)).size).toBe(56)
    expect(new Set(log.events.map((e) => e.userPrincipalName))).toEqual(new Set(['adelev@m365x816222.onmicrosoft.com']))
    expect(new Set(log.events.map((e) => e.ipAddress))).toEqual(new Set(['175.45.176.99']))
    const codes: Record<string, number> = {}
    for (const e of log.events) codes[e.errorCode ?? 'null'] = (codes[e.errorCode ?? 'null'] ?? 0) + 1
    expect(codes).toEqual({ '0': 53, '16000': 2, '50058': 1 })
    const times = log.events.map((e) => e.createdAt)
    expect(iso(Math.min(...times))).toBe('2021-04-28T14:08:45.221Z')
    expect(iso(Math.max(...times))).toBe('2021-04-28T15:19:08.373Z')
    expect(log.events.every((e) => e.isInteractive === true && e.clientAppUsed === 'Browser')).toBe(true)
  })

  it('reads the _dynamic columns and keeps the multi-line JSON cells intact in the stored record', async () => {
    const log = await readLog(bytes)
    const first = log.events.find((e) => e.sourceEventId === 'cfb68155-70f5-4e28-b046-0a3a7086c401')
    expect(first).toMatchObject({ errorCode: '0', locationCity: 'Azor', locationState: 'Tel Aviv', locationCountry: 'IL' })
    const raw = JSON.parse(first!.raw) as Record<string, string>
    expect(raw.AuthenticationDetails).toContain('\r\n')
    const details = JSON.parse(raw.AuthenticationDetails) as { authenticationStepDateTime: string }[]
    expect(details[0].authenticationStepDateTime).toBe('2021-04-28T14:08:45.2213421+00:00')
    const silent = log.events.find((e) => e.errorCode === '50058')
    expect(silent?.failureReason).toMatch(/^The application tried to perform a silent sign in/)
    expect(log.events.filter((e) => e.errorCode === '16000').map((e) => e.failureReason)).toEqual(['Other', 'Other'])
  })
})
