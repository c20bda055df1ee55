import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { graphFormat } from '@/lib/ingest/formats/graph'
import { formatSamplesDir } from '../helpers/paths'
import { iso, readLog, readOne } from '../helpers/read-log'

// Microsoft Graph auditLogs/signIns objects (docs/reference/signin-formats.md §1.3-1.5, §2.4):
// Graph pages {"value": [...]}, the portal's JSON download (a bare array), JSON Lines of them.

const signIn = {
  id: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
  createdDateTime: '2026-03-02T10:14:07.6195833Z',
  userDisplayName: '',
  userPrincipalName: ' J.Doe@Contoso.com ',
  userId: '',
  appId: '1b730954-1685-4b74-9bfd-dac224a7b894',
  appDisplayName: 'Azure Active Directory PowerShell',
  ipAddress: '2001:DB8:0:0::45',
  clientAppUsed: 'Mobile Apps and Desktop clients',
  userAgent: 'Mozilla/5.0',
  correlationId: '0e5f7c1b-2a44-4f3e-8c9d-6b1a2e3f4d5c',
  isInteractive: true,
  signInEventTypes: ['interactiveUser'],
  autonomousSystemNumber: 8075,
  status: { errorCode: 50034, failureReason: 'The user account does not exist in the contoso.com directory.', additionalDetails: null },
  location: { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL', geoCoordinates: { altitude: null, latitude: 52.37, longitude: 4.89 } },
}

const page = (value: object[]) =>
  JSON.stringify({
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns',
    '@odata.nextLink': 'https://graph.microsoft.com/beta/auditLogs/signIns?$top=1&$skiptoken=9f1c0a',
    value,
  })

const normalise = graphFormat.normaliser({ interactiveHint: null })

describe('Graph signIns', () => {
  it('maps every field of a Graph page record', async () => {
    const log = await readLog(page([signIn]), 'signins.json')
    expect(log.format).toBe('graph')
    expect(log.rejected).toEqual([])
    const event = log.events[0]
    expect(event).toMatchObject({
      sourceEventId: '4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00',
      userPrincipalName: 'j.doe@contoso.com',
      ipAddress: '2001:db8::45',
      clientAppUsed: 'Mobile Apps and Desktop clients',
      userAgent: 'Mozilla/5.0',
      appDisplayName: 'Azure Active Directory PowerShell',
      appId: '1b730954-1685-4b74-9bfd-dac224a7b894',
      errorCode: '50034',
      failureReason: 'The user account does not exist in the contoso.com directory.',
      locationCity: 'Amsterdam',
      locationState: 'Noord-Holland',
      locationCountry: 'NL',
      autonomousSystem: 8075,
      isInteractive: true,
    })
    expect(iso(event.createdAt)).toBe('2026-03-02T10:14:07.619Z')
    expect(JSON.parse(event.raw)).toEqual(signIn)
  })

  it('reads the portal JSON download (a bare array) as portal-json with the same fields', async () => {
    const log = await readLog(JSON.stringify([signIn, { ...signIn, id: 'second', status: { errorCode: 0 } }], null, 2), 'InteractiveSignIns_2026-03-02_2026-03-02.json')
    expect(log.format).toBe('portal-json')
    expect(log.events.map((e) => [e.sourceEventId, e.errorCode])).toEqual([
      ['4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00', '50034'],
      ['second', '0'],
    ])
  })

  it('reads JSON Lines of Graph objects', async () => {
    const log = await readLog(`${JSON.stringify(signIn)}\n${JSON.stringify({ ...signIn, id: 'b' })}\n`, 'signins.ndjson')
    expect(log.format).toBe('graph')
    expect(log.events.map((e) => e.sourceEventId)).toEqual(['4d2e9c1a-7b3f-4e55-9a0d-3c6f2b8e1a00', 'b'])
  })

  it('v1.0 records have no userAgent: it is the empty string, not missing', () => {
    const { userAgent: _ua, signInEventTypes: _types, ...v1 } = signIn
    const result = normalise(v1)
    expect(result.kind).toBe('event')
    if (result.kind === 'event') expect(result.event.userAgent).toBe('')
  })

  it('takes interactivity from isInteractive, else from signInEventTypes', () => {
    const { isInteractive: _i, ...noFlag } = signIn
    const nonInteractive = normalise({ ...noFlag, signInEventTypes: ['nonInteractiveUser'] })
    const interactive = normalise({ ...noFlag, signInEventTypes: ['interactiveUser'] })
    const unknown = normalise({ ...noFlag, signInEventTypes: [] })
    expect(nonInteractive.kind === 'event' && nonInteractive.event.isInteractive).toBe(false)
    expect(interactive.kind === 'event' && interactive.event.isInteractive).toBe(true)
    expect(unknown.kind === 'event' && unknown.event.isInteractive).toBeNull()
  })

  it('skips service-principal and managed-identity sign-ins', () => {
    expect(normalise({ ...signIn, signInEventTypes: ['servicePrincipal'] })).toEqual({ kind: 'skipped' })
    expect(normalise({ ...signIn, signInEventTypes: ['managedIdentity'] })).toEqual({ kind: 'skipped' })
    const { userPrincipalName: _upn, ...noUser } = signIn
    expect(normalise({ ...noUser, signInEventTypes: undefined, servicePrincipalId: '9b11c0de-0000-4000-8000-000000000001' })).toEqual({ kind: 'skipped' })
    // a user sign-in that merely carries a service principal id is still a user sign-in
    expect(normalise({ ...signIn, servicePrincipalId: '9b11c0de-0000-4000-8000-000000000001' }).kind).toBe('event')
  })

  it('accepts an empty or all-zero userId and still keys on the UPN (50034 events)', () => {
    const result = normalise({ ...signIn, userId: '00000000-0000-0000-0000-000000000000', userDisplayName: null })
    expect(result.kind === 'event' && result.event.userPrincipalName).toBe('j.doe@contoso.com')
  })

  it('rejects a record without createdDateTime, naming the field', () => {
    const { createdDateTime: _t, ...noTime } = signIn
    expect(normalise(noTime)).toEqual({ kind: 'rejected', reason: 'missing timestamp (createdDateTime)' })
    expect(normalise({ ...signIn, createdDateTime: '2026-02-30T10:00:00Z' })).toEqual({
      kind: 'rejected',
      reason: 'unparseable date "2026-02-30T10:00:00Z" in createdDateTime',
    })
  })

  it('keeps an event with an empty or garbage IP, with no IP (unknown, not one shared address)', () => {
    const empty = normalise({ ...signIn, ipAddress: '' })
    const garbage = normalise({ ...signIn, ipAddress: 'unknown' })
    expect(empty.kind === 'event' && empty.event.ipAddress).toBeNull()
    expect(garbage.kind === 'event' && garbage.event.ipAddress).toBeNull()
  })

  it('a record without an id gets a content id, the same for the same content', () => {
    const { id: _id, ...noId } = signIn
    const a = normalise(noId)
    const b = normalise({ ...noId, correlationId: 'something else not in the key' })
    const c = normalise({ ...noId, userPrincipalName: 'other@contoso.com' })
    if (a.kind !== 'event' || b.kind !== 'event' || c.kind !== 'event') throw new Error('expected events')
    expect(a.event.sourceEventId).toMatch(/^sha256:/)
    expect(b.event.sourceEventId).toBe(a.event.sourceEventId)
    expect(c.event.sourceEventId).not.toBe(a.event.sourceEventId)
  })

  it('reads the Graph beta sample page with no rejections', async () => {
    const text = readFileSync(path.join(formatSamplesDir, 'graph-beta', 'page-001.json'))
    const expected = JSON.parse(text.toString()).value.length as number
    const log = await readLog(text, 'page-001.json')
    expect(log.format).toBe('graph')
    expect(log.rejected).toEqual([])
    expect(log.events.length + log.skipped).toBe(expected)
    expect(log.events.every((e) => e.userPrincipalName === e.userPrincipalName.toLowerCase() && e.errorCode !== null)).toBe(true)
  })
})
