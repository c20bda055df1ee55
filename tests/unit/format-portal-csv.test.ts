import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { classifyCsvHeader } from '@/lib/ingest/formats/portal-csv'
import { formatSamplesDir } from '../helpers/paths'
import { APPLICATION_SIGNINS_HEADER, PORTAL_HEADER_2024 } from '../helpers/export-headers'
import { csv, csvLine, iso, readLog, readOne } from '../helpers/read-log'

// The Entra admin center's CSV download (docs/reference/signin-formats.md §2.2): 55 columns with a
// duplicate header, trailing and double spaces; columns added over time, so map by name.


const row = {
  'Date (UTC)': '2026-03-02T10:14:07Z',
  'Request ID': '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
  'User agent': 'Mozilla/5.0',
  'Correlation ID': '0e5f7c1b-2a44-4f3e-8c9d-6b1a2e3f4d5c',
  Username: 'J.Doe@contoso.com',
  'Incoming token type': 'none',
  Application: 'Azure Active Directory PowerShell',
  'Application ID ': '1b730954-1685-4b74-9bfd-dac224a7b894',
  'Resource ID ': '00000002-0000-0000-c000-000000000000',
  'IP address': '203.0.113.45',
  Location: 'Amsterdam, Noord-Holland, NL',
  Status: 'Failure',
  'Sign-in error code': '50034',
  'Failure reason': 'The user account does not exist in the contoso.com directory.',
  'Client app': 'Mobile Apps and Desktop clients',
  'Autonomous system  number': '8075',
}

describe('portal CSV download', () => {
  it('maps the columns of the 55-column header, quirks included', async () => {
    const log = await readLog(`\ufeff${csv(PORTAL_HEADER_2024, [row])}`, 'InteractiveSignIns_2026-03-02_2026-03-02.csv')
    expect(log.format).toBe('portal-csv')
    expect(log.rejected).toEqual([])
    expect(log.events).toHaveLength(1)
    const event = log.events[0]
    expect(event).toMatchObject({
      sourceEventId: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      userPrincipalName: 'j.doe@contoso.com',
      ipAddress: '203.0.113.45',
      clientAppUsed: 'Mobile Apps and Desktop clients',
      userAgent: 'Mozilla/5.0',
      appDisplayName: 'Azure Active Directory PowerShell',
      // "Application ID " has a trailing space in the header
      appId: '1b730954-1685-4b74-9bfd-dac224a7b894',
      errorCode: '50034',
      failureReason: 'The user account does not exist in the contoso.com directory.',
      locationCity: 'Amsterdam',
      locationState: 'Noord-Holland',
      locationCountry: 'NL',
      // "Autonomous system  number" has a double space
      autonomousSystem: 8075,
      isInteractive: true,
    })
    expect(iso(event.createdAt)).toBe('2026-03-02T10:14:07.000Z')
  })

  it('keeps both "Incoming token type" cells in the stored record', async () => {
    const lines = [csvLine(PORTAL_HEADER_2024), csvLine(PORTAL_HEADER_2024.map((h, i) => (h === 'Incoming token type' ? `token-${i}` : ((row as Record<string, string>)[h] ?? ''))))]
    const event = await readOne(lines.join('\r\n'), 'x.csv')
    const raw = JSON.parse(event.raw) as Record<string, string>
    expect(raw['Incoming token type']).toBe('token-9')
    expect(raw['Incoming token type #2']).toBe('token-47')
    expect(Object.keys(raw)).toHaveLength(55)
  })

  it('maps a newer header by name: extra columns, a different order, other whitespace', async () => {
    const newer = [
      'Federated Token Issuer', 'Sign-in error code', 'App owner tenant ID', 'Username', 'Resource owner tenant ID',
      '  IP   address ', 'Date (UTC)', 'Some column from 2027', 'Location', 'Request ID', 'Client  app', 'User agent',
      'Application ID', 'Application', 'Failure reason', 'Autonomous system number', 'Incoming token type', 'Incoming token type',
    ]
    const values: Record<string, string> = {
      ...row,
      '  IP   address ': '198.51.100.7',
      'Client  app': 'Browser',
      'Application ID': 'new-app-id',
      'Autonomous system number': '64496',
      'Some column from 2027': 'x',
    }
    const log = await readLog(csv(newer, [values]), 'NonInteractiveSignIns_2026-03-02_2026-03-02.csv')
    expect(log.format).toBe('portal-csv')
    expect(log.events[0]).toMatchObject({
      sourceEventId: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      userPrincipalName: 'j.doe@contoso.com',
      ipAddress: '198.51.100.7',
      clientAppUsed: 'Browser',
      appId: 'new-app-id',
      errorCode: '50034',
      autonomousSystem: 64496,
      isInteractive: false,
    })
  })

  it('reads the date as Excel writes it after a re-save (M/D/YYYY h:mm:ss AM/PM, UTC)', async () => {
    const event = await readOne(csv(PORTAL_HEADER_2024, [{ ...row, 'Date (UTC)': '3/2/2026 10:14:07 PM' }]))
    expect(iso(event.createdAt)).toBe('2026-03-02T22:14:07.000Z')
  })

  it('takes interactive vs non-interactive from the file name only, and unknown otherwise', async () => {
    const content = csv(PORTAL_HEADER_2024, [row])
    expect((await readOne(content, 'InteractiveSignIns_2026-03-02_2026-03-02.csv')).isInteractive).toBe(true)
    expect((await readOne(content, 'NonInteractiveSignIns_2026-03-02_2026-03-02.csv')).isInteractive).toBe(false)
    expect((await readOne(content, 'export.csv')).isInteractive).toBeNull()
  })

  it('splits Location into city, state and country, any part of which may be empty', async () => {
    const at = async (location: string) => {
      const e = await readOne(csv(PORTAL_HEADER_2024, [{ ...row, Location: location }]))
      return [e.locationCity, e.locationState, e.locationCountry]
    }
    expect(await at('Amsterdam, Noord-Holland, NL')).toEqual(['Amsterdam', 'Noord-Holland', 'NL'])
    expect(await at(', , NL')).toEqual([null, null, 'NL'])
    expect(await at('NL')).toEqual([null, null, 'NL'])
    expect(await at('')).toEqual([null, null, null])
  })

  it('rejects a row without a date, or with an impossible one, with its line number', async () => {
    const content = csv(PORTAL_HEADER_2024, [row, { ...row, 'Request ID': 'b', 'Date (UTC)': '' }, { ...row, 'Request ID': 'c', 'Date (UTC)': '2/30/2026 1:00:00 PM' }])
    const log = await readLog(content)
    expect(log.events.map((e) => e.sourceEventId)).toEqual(['4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00'])
    expect(log.rejected).toEqual([
      { position: 3, reason: 'missing timestamp ("Date (UTC)")', fatal: false },
      { position: 4, reason: 'unparseable date "2/30/2026 1:00:00 PM" in "Date (UTC)"', fatal: false },
    ])
  })

  it('keeps an empty user name and IP (the detection drops them, the event is still stored)', async () => {
    const event = await readOne(csv(PORTAL_HEADER_2024, [{ ...row, Username: '  ', 'IP address': '' }]))
    expect(event.userPrincipalName).toBe('')
    expect(event.ipAddress).toBeNull()
  })

  it('classifies headers: user sign-ins, application sign-ins, or neither', () => {
    expect(classifyCsvHeader(PORTAL_HEADER_2024)).toBe('portal-user')
    expect(classifyCsvHeader(APPLICATION_SIGNINS_HEADER.split(','))).toBe('portal-non-user')
    expect(classifyCsvHeader(['name', 'email', 'department'])).toBe('unknown')
    expect(classifyCsvHeader([])).toBe('unknown')
  })

  it('reads the sample download with no rejections', async () => {
    const file = path.join(formatSamplesDir, 'portal-csv', 'InteractiveSignIns_2026-02-17_2026-02-17.csv')
    const log = await readLog(readFileSync(file), path.basename(file))
    expect(log.format).toBe('portal-csv')
    expect(log.rejected).toEqual([])
    expect(log.events.length).toBeGreaterThan(50)
    expect(log.events.every((e) => e.isInteractive === true && /^\d+$/.test(e.errorCode ?? ''))).toBe(true)
  })
})
