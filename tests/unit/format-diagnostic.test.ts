import { describe, expect, it } from 'vitest'
import { diagnosticFormat } from '@/lib/ingest/formats/diagnostic'
import { iso, readLog } from '../helpers/read-log'

// Azure Monitor diagnostic-settings records (docs/reference/signin-formats.md §4.1-4.2): storage
// PT1H.json blobs (one record per line) or Event Hub messages {"records": [...]}; the Graph
// signIn object sits in `properties`, whose createdDateTime may carry a non-UTC offset.

function record(overrides: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) {
  return {
    time: '2026-03-02T10:14:09.5522137Z',
    resourceId: '/tenants/11111111-2222-3333-4444-555555555555/providers/Microsoft.aadiam',
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: 'SignInLogs',
    tenantId: '11111111-2222-3333-4444-555555555555',
    resultType: '50034',
    resultSignature: 'None',
    resultDescription: 'The user account does not exist in the contoso.com directory.',
    durationMs: 0,
    callerIpAddress: '203.0.113.45',
    correlationId: '0e5f7c1b-2a44-4f3e-8c9d-6b1a2e3f4d5c',
    identity: '',
    Level: 4,
    location: 'NL',
    ...overrides,
    properties: {
      id: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      createdDateTime: '2026-03-02T10:14:07.5522137+00:00',
      userPrincipalName: 'J.Doe@contoso.com',
      appId: '1b730954-1685-4b74-9bfd-dac224a7b894',
      appDisplayName: 'Azure Active Directory PowerShell',
      ipAddress: '203.0.113.45',
      status: { errorCode: 50034, failureReason: 'The user account does not exist ...' },
      clientAppUsed: 'Mobile Apps and Desktop clients',
      userAgent: 'Mozilla/5.0',
      location: { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL' },
      isInteractive: true,
      autonomousSystemNumber: 8075,
      ...properties,
    },
  }
}

const normalise = diagnosticFormat.normaliser({ interactiveHint: null })

function event(r: Record<string, unknown>) {
  const result = normalise(r)
  if (result.kind !== 'event') throw new Error(JSON.stringify(result))
  return result.event
}

describe('diagnostic-settings records', () => {
  it('maps the envelope and its properties', async () => {
    const log = await readLog(`${JSON.stringify(record())}\n`, 'PT1H.json')
    expect(log.format).toBe('diagnostic')
    expect(log.events[0]).toMatchObject({
      sourceEventId: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      userPrincipalName: 'j.doe@contoso.com',
      ipAddress: '203.0.113.45',
      clientAppUsed: 'Mobile Apps and Desktop clients',
      userAgent: 'Mozilla/5.0',
      appDisplayName: 'Azure Active Directory PowerShell',
      appId: '1b730954-1685-4b74-9bfd-dac224a7b894',
      errorCode: '50034',
      failureReason: 'The user account does not exist ...',
      locationCity: 'Amsterdam',
      locationCountry: 'NL',
      autonomousSystem: 8075,
      isInteractive: true,
    })
    // properties.createdDateTime (the sign-in), not the envelope's time
    expect(iso(log.events[0].createdAt)).toBe('2026-03-02T10:14:07.552Z')
  })

  it('converts a -05:00 offset in properties.createdDateTime to UTC', () => {
    const e = event(record({}, { createdDateTime: '2019-10-18T04:45:48.0729893-05:00' }))
    expect(iso(e.createdAt)).toBe('2019-10-18T09:45:48.072Z')
  })

  it('falls back to the envelope time when properties.createdDateTime is missing', () => {
    const e = event(record({}, { createdDateTime: undefined }))
    expect(iso(e.createdAt)).toBe('2026-03-02T10:14:09.552Z')
    expect(normalise(record({ time: undefined }, { createdDateTime: '' }))).toEqual({ kind: 'rejected', reason: 'missing timestamp (time)' })
  })

  it('takes the string resultType as the code, else properties.status.errorCode', () => {
    expect(event(record({ resultType: '50053' })).errorCode).toBe('50053')
    expect(event(record({ resultType: undefined })).errorCode).toBe('50034')
  })

  it('takes the IP from properties.ipAddress, else callerIpAddress', () => {
    expect(event(record({ callerIpAddress: '198.51.100.1' })).ipAddress).toBe('203.0.113.45')
    expect(event(record({ callerIpAddress: '198.51.100.1' }, { ipAddress: undefined })).ipAddress).toBe('198.51.100.1')
  })

  it('reads interactivity from the category', () => {
    expect(event(record({ category: 'NonInteractiveUserSignInLogs' }, { isInteractive: undefined })).isInteractive).toBe(false)
    expect(event(record({ category: 'SignInLogs' }, { isInteractive: undefined })).isInteractive).toBe(true)
  })

  it.each(['ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs', 'MicrosoftServicePrincipalSignInLogs'])('skips category %s', (category) => {
    // for these categories userPrincipalName can hold a GUID: they are not user sign-ins
    expect(normalise(record({ category }, { userPrincipalName: '2b3c4d5e-0000-4000-8000-000000000001' }))).toEqual({ kind: 'skipped' })
  })

  it('skips by signInEventTypes too', () => {
    expect(normalise(record({ category: undefined }, { signInEventTypes: ['managedIdentity'] }))).toEqual({ kind: 'skipped' })
  })

  it('reads an Event Hub message {"records": [...]} and keeps the user sign-ins of a mixed one', async () => {
    const message = { records: [record(), record({ category: 'ServicePrincipalSignInLogs' }, { id: 'sp-1' }), record({}, { id: 'second' })] }
    const log = await readLog(JSON.stringify(message), 'eh-msg-0001.json')
    expect(log.format).toBe('diagnostic')
    expect(log.skipped).toBe(1)
    expect(log.events.map((e) => e.sourceEventId)).toEqual(['4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00', 'second'])
  })

  it('reads a storage blob (one record per line), also when the last line has no newline', async () => {
    const lines = [record(), record({}, { id: 'b' }), record({}, { id: 'c' })].map((r) => JSON.stringify(r))
    const log = await readLog(lines.join('\n'), 'PT1H.json')
    expect(log.events.map((e) => e.sourceEventId)).toEqual(['4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00', 'b', 'c'])
  })

  it('reads a single record on one line with no newline (a one-event blob)', async () => {
    const log = await readLog(JSON.stringify(record()), 'PT1H.json')
    expect(log.format).toBe('diagnostic')
    expect(log.events).toHaveLength(1)
  })
})
