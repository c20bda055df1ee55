import type { App, Resource } from './apps'
import type { Account } from './directory'
import { additionalDetails, CODE, failureReason, type ResultCode } from './error-codes'
import type { Place } from './networks'
import type { Random } from './random'
import type { ClientSoftware } from './user-agents'

/**
 * Microsoft Graph beta `signIn` objects (docs/reference/signin-formats.md §1.3-1.5), in the shape of
 * tests/fixtures/format-samples/graph-beta: what `GET /beta/auditLogs/signIns` would return for
 * the fake tenant.
 */

export const TENANT_ID = '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70'
const ZERO_GUID = '00000000-0000-0000-0000-000000000000'

/** One sign-in as the demo plans it, before it is dressed as a Graph object. */
export interface SignInSpec {
  /** Epoch milliseconds, UTC. */
  time: number
  /** Graph writes 7 fraction digits; these are the 4 after the milliseconds (random when absent). */
  subMillisecondDigits?: string
  upn: string
  /** The directory account, or null when no such account exists (the 50034 case). */
  account: Account | null
  app: App
  resource: Resource
  client: ClientSoftware
  ip: string
  place: Place
  asn: number
  interactive: boolean
  code: ResultCode
  /** ROPC for scripted password attempts; 'none' for ordinary browser and broker flows. */
  protocol?: 'none' | 'ropc'
  /** An Entra-joined, compliant device. */
  deviceId?: string
  /** Whether the session already carried MFA (decides authenticationRequirement). */
  multiFactor?: boolean
}

export interface GraphSignIn {
  id: string
  createdDateTime: string
  userDisplayName: string
  userPrincipalName: string
  userId: string
  appId: string
  appDisplayName: string
  ipAddress: string
  clientAppUsed: string
  userAgent: string
  correlationId: string
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied'
  isInteractive: boolean
  riskDetail: string
  riskLevelAggregated: string
  riskLevelDuringSignIn: string
  riskState: string
  riskEventTypes: string[]
  riskEventTypes_v2: string[]
  resourceDisplayName: string
  resourceId: string
  status: { errorCode: number; failureReason: string; additionalDetails: string | null }
  deviceDetail: {
    deviceId: string
    displayName: string | null
    operatingSystem: string
    browser: string
    isCompliant: boolean
    isManaged: boolean
    trustType: string
  }
  location: {
    city: string
    state: string
    countryOrRegion: string
    geoCoordinates: { altitude: null; latitude: number; longitude: number }
  }
  appliedConditionalAccessPolicies: never[]
  signInEventTypes: ('interactiveUser' | 'nonInteractiveUser')[]
  authenticationProtocol: 'none' | 'ropc'
  authenticationRequirement: 'singleFactorAuthentication' | 'multiFactorAuthentication'
  userType: 'member' | ''
  incomingTokenType: 'none' | 'primaryRefreshToken'
  tokenIssuerType: 'AzureAD'
  crossTenantAccessType: 'none'
  homeTenantId: string
  resourceTenantId: string
  uniqueTokenIdentifier: string
  autonomousSystemNumber: number
  originalRequestId: string
  processingTimeInMilliseconds: number
}

/**
 * `2026-03-02T10:14:07.5522137Z`: Graph's 7 fraction digits, or none when the time falls on a
 * whole second (both occur in real pages).
 */
export function graphTimestamp(time: number, subMillisecondDigits: string): string {
  const iso = new Date(time).toISOString()
  if (time % 1000 === 0) return `${iso.slice(0, 19)}Z`
  return `${iso.slice(0, 23)}${subMillisecondDigits}Z`
}

function conditionalAccessStatus(spec: SignInSpec): GraphSignIn['conditionalAccessStatus'] {
  // Conditional Access is evaluated only once the first factor passed.
  if (spec.code === CODE.success || spec.code === CODE.mfaRequired || spec.code === CODE.mfaInterrupt) return 'success'
  return 'notApplied'
}

export function toGraphSignIn(spec: SignInSpec, id: string, rng: Random): GraphSignIn {
  const account = spec.account
  const digits = spec.subMillisecondDigits ?? String(rng.int(0, 9999)).padStart(4, '0')
  return {
    id,
    createdDateTime: graphTimestamp(spec.time, digits),
    userDisplayName: account?.displayName ?? '',
    userPrincipalName: spec.upn,
    // For a name that is not an account Entra writes either nothing or the all-zero GUID.
    userId: account?.id ?? (rng.chance(0.5) ? '' : ZERO_GUID),
    appId: spec.app.id,
    appDisplayName: spec.app.name,
    ipAddress: spec.ip,
    clientAppUsed: spec.client.clientAppUsed,
    userAgent: spec.client.userAgent,
    correlationId: rng.guid(),
    conditionalAccessStatus: conditionalAccessStatus(spec),
    isInteractive: spec.interactive,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes: [],
    riskEventTypes_v2: [],
    resourceDisplayName: spec.resource.name,
    resourceId: spec.resource.id,
    status: {
      errorCode: spec.code,
      failureReason: failureReason(spec.code, spec.resource.id),
      additionalDetails: additionalDetails(spec.code, spec.interactive),
    },
    deviceDetail: {
      deviceId: spec.deviceId ?? '',
      displayName: null,
      operatingSystem: spec.client.operatingSystem,
      browser: spec.client.browser,
      isCompliant: spec.deviceId !== undefined,
      isManaged: spec.deviceId !== undefined,
      trustType: spec.deviceId !== undefined ? 'Azure AD joined' : '',
    },
    location: {
      city: spec.place.city,
      state: spec.place.state,
      countryOrRegion: spec.place.countryOrRegion,
      geoCoordinates: { altitude: null, latitude: spec.place.latitude, longitude: spec.place.longitude },
    },
    appliedConditionalAccessPolicies: [],
    signInEventTypes: [spec.interactive ? 'interactiveUser' : 'nonInteractiveUser'],
    authenticationProtocol: spec.protocol ?? 'none',
    authenticationRequirement: spec.multiFactor ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    userType: account ? 'member' : '',
    incomingTokenType: spec.interactive ? 'none' : 'primaryRefreshToken',
    tokenIssuerType: 'AzureAD',
    crossTenantAccessType: 'none',
    homeTenantId: TENANT_ID,
    resourceTenantId: TENANT_ID,
    uniqueTokenIdentifier: rng.token(),
    autonomousSystemNumber: spec.asn,
    originalRequestId: id,
    processingTimeInMilliseconds: rng.int(35, 320),
  }
}

/** A sign-in with its time as a number, so sources can be merged without parsing dates. */
export interface TimedSignIn {
  time: number
  record: GraphSignIn
}

/**
 * Turns one part's planned sign-ins (in any order) into Graph objects in time order, each with
 * an id from the part's own id stream.
 */
export function* dressInOrder(specs: SignInSpec[], nextId: () => string, rng: Random): Generator<TimedSignIn> {
  const ordered = specs.map((spec, index) => ({ spec, index })).sort((a, b) => a.spec.time - b.spec.time || a.index - b.index)
  for (const { spec } of ordered) yield { time: spec.time, record: toGraphSignIn(spec, nextId(), rng) }
}
