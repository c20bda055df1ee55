import { describe, expect, it } from 'vitest'
import { logscaleFormat } from '@/lib/ingest/formats/logscale'
import { iso, readLog } from '../helpers/read-log'

// Events exported from Falcon LogScale (docs/reference/signin-formats.md §4.3-4.4): every value a
// string except @timestamp (epoch ms); the Entra fields at the top level (properties.* flattened,
// as the reference rule reads them) or under Vendor., Vendor.properties. or properties.

const normalise = logscaleFormat.normaliser({ interactiveHint: null })

function event(r: Record<string, unknown>) {
  const result = normalise(r)
  if (result.kind !== 'event') throw new Error(JSON.stringify(result))
  return result.event
}

const expected = {
  sourceEventId: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
  userPrincipalName: 'j.doe@contoso.com',
  ipAddress: '203.0.113.45',
  clientAppUsed: 'Mobile Apps and Desktop clients',
  userAgent: 'Mozilla/5.0',
  appDisplayName: 'Azure Active Directory PowerShell',
  errorCode: '50034',
}

describe('LogScale events', () => {
  it('reads the flattened shape of our own repository (no prefix)', async () => {
    const line = {
      '@timestamp': 1772446447123,
      '@id': 'ls_4d2e9c1a',
      category: 'SignInLogs',
      resultType: '50034',
      id: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      userPrincipalName: 'J.Doe@contoso.com',
      ipAddress: '203.0.113.45',
      clientAppUsed: 'Mobile Apps and Desktop clients',
      userAgent: 'Mozilla/5.0',
      appDisplayName: 'Azure Active Directory PowerShell',
    }
    const log = await readLog(`${JSON.stringify(line)}\n${JSON.stringify({ ...line, id: 'b' })}\n`, 'entra.ndjson')
    expect(log.format).toBe('logscale')
    expect(log.events[0]).toMatchObject({ ...expected, isInteractive: true })
    expect(iso(log.events[0].createdAt)).toBe('2026-03-02T10:14:07.123Z')
  })

  it('reads the CrowdStrike package shape, flattened with dots (Vendor. and Vendor.properties.)', () => {
    const e = event({
      '@timestamp': 1772446447000,
      'Vendor.category': 'NonInteractiveUserSignInLogs',
      'Vendor.operationName': 'Sign-in activity',
      'Vendor.callerIpAddress': '203.0.113.45',
      'Vendor.resultType': '50034',
      'Vendor.properties.id': '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      'Vendor.properties.userPrincipalName': 'J.Doe@contoso.com',
      'Vendor.properties.clientAppUsed': 'Mobile Apps and Desktop clients',
      'Vendor.properties.userAgent': 'Mozilla/5.0',
      'Vendor.properties.appDisplayName': 'Azure Active Directory PowerShell',
      'Vendor.properties.status.errorCode': '50034',
      'Vendor.properties.status.failureReason': 'The user account does not exist',
      'Vendor.properties.location.countryOrRegion': 'NL',
    })
    expect(e).toMatchObject({ ...expected, failureReason: 'The user account does not exist', locationCountry: 'NL', isInteractive: false })
  })

  it('reads the same fields nested as objects under Vendor.properties', () => {
    const e = event({
      '@timestamp': '1772446447000',
      Vendor: {
        callerIpAddress: '203.0.113.45',
        properties: {
          id: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
          userPrincipalName: 'J.Doe@contoso.com',
          clientAppUsed: 'Mobile Apps and Desktop clients',
          userAgent: 'Mozilla/5.0',
          appDisplayName: 'Azure Active Directory PowerShell',
          status: { errorCode: 50034 },
        },
      },
    })
    expect(e).toMatchObject(expected)
    expect(iso(e.createdAt)).toBe('2026-03-02T10:14:07.000Z')
  })

  it('reads the ECS-like shape with Vendor. but no properties. (Vendor.userPrincipalName, Vendor.status.*)', () => {
    const e = event({
      '@timestamp': 1772446447000,
      'Vendor.id': '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      'Vendor.userPrincipalName': 'J.Doe@contoso.com',
      'Vendor.ipAddress': '203.0.113.45',
      'Vendor.clientAppUsed': 'Mobile Apps and Desktop clients',
      'Vendor.userAgent': 'Mozilla/5.0',
      'Vendor.appDisplayName': 'Azure Active Directory PowerShell',
      'Vendor.status.errorCode': '50034',
    })
    expect(e).toMatchObject(expected)
  })

  it('reads the properties. prefix', () => {
    const e = event({
      '@timestamp': 1772446447000,
      resultType: '50034',
      'properties.id': '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      'properties.userPrincipalName': 'J.Doe@contoso.com',
      'properties.ipAddress': '203.0.113.45',
      'properties.clientAppUsed': 'Mobile Apps and Desktop clients',
      'properties.userAgent': 'Mozilla/5.0',
      'properties.appDisplayName': 'Azure Active Directory PowerShell',
    })
    expect(e).toMatchObject(expected)
  })

  it('uses @id when the event has no sign-in id, and a content id when it has neither', () => {
    const base = { '@timestamp': 1772446447000, resultType: '50034', userPrincipalName: 'a@contoso.com', ipAddress: '203.0.113.45' }
    expect(event({ ...base, '@id': 'ls_1' }).sourceEventId).toBe('ls_1')
    const hashed = event(base).sourceEventId
    expect(hashed).toMatch(/^sha256:/)
    expect(event({ ...base, '@ingesttimestamp': '1772446450000' }).sourceEventId).toBe(hashed)
  })

  it('takes the time only from @timestamp, ISO text accepted', () => {
    expect(iso(event({ '@timestamp': '2026-03-02T10:14:07.1239Z', userPrincipalName: 'a@b.c' }).createdAt)).toBe('2026-03-02T10:14:07.123Z')
    expect(normalise({ '@timestamp': null, time: '2026-03-02T10:14:07Z', userPrincipalName: 'a@b.c' })).toEqual({
      kind: 'rejected',
      reason: 'missing timestamp (@timestamp)',
    })
    expect(normalise({ '@timestamp': 1e17, userPrincipalName: 'a@b.c' }).kind).toBe('rejected')
  })

  it('skips service-principal and managed-identity categories, with or without a prefix', () => {
    expect(normalise({ '@timestamp': 1772446447000, category: 'ServicePrincipalSignInLogs' })).toEqual({ kind: 'skipped' })
    expect(normalise({ '@timestamp': 1772446447000, 'Vendor.category': 'ManagedIdentitySignInLogs' })).toEqual({ kind: 'skipped' })
  })

  it('reads a JSON array of events (the search API with Accept: application/json)', async () => {
    const events = [
      { '@timestamp': 1772446447000, resultType: '50034', userPrincipalName: 'a@contoso.com', ipAddress: '203.0.113.45', id: 'a' },
      { '@timestamp': 1772446459000, resultType: '50126', userPrincipalName: 'b@contoso.com', ipAddress: '203.0.113.45', id: 'b' },
    ]
    const log = await readLog(JSON.stringify(events), 'search.json')
    expect(log.format).toBe('logscale')
    expect(log.events.map((e) => [e.sourceEventId, e.errorCode])).toEqual([
      ['a', '50034'],
      ['b', '50126'],
    ])
  })
})
