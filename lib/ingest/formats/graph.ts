import { optionalBoolean } from '../normalise'
import type { RecordFormat, SourceRecord } from '../types'
import { buildEvent, eventTypes, interactiveFromEventTypes, isNonUserByEventTypes, objectAt } from './build-event'

/**
 * Microsoft Graph `auditLogs/signIns` objects (v1.0 and beta; the user agent is beta-only), as
 * Graph pages (`{"value": [...]}`), the Entra portal's JSON download (a bare array of the same
 * objects) or JSON Lines of them.
 */
function normaliseGraphRecord(record: SourceRecord) {
  const types = eventTypes(record.signInEventTypes)
  if (isNonUserByEventTypes(types) || (record.userPrincipalName === undefined && typeof record.servicePrincipalId === 'string' && record.servicePrincipalId !== '')) {
    return { kind: 'skipped' as const }
  }
  const status = objectAt(record.status)
  const location = objectAt(record.location)
  return buildEvent(
    {
      id: record.id,
      time: record.createdDateTime,
      timeField: 'createdDateTime',
      userPrincipalName: record.userPrincipalName,
      ipAddress: record.ipAddress,
      clientAppUsed: record.clientAppUsed,
      userAgent: record.userAgent,
      appDisplayName: record.appDisplayName,
      appId: record.appId,
      errorCode: status?.errorCode,
      failureReason: status?.failureReason,
      locationCity: location?.city,
      locationState: location?.state,
      locationCountry: location?.countryOrRegion,
      autonomousSystem: record.autonomousSystemNumber,
      isInteractive: optionalBoolean(record.isInteractive) ?? interactiveFromEventTypes(types),
    },
    record,
  )
}

export const graphFormat: RecordFormat = {
  id: 'graph',
  label: 'Microsoft Graph signIns',
  normaliser: () => normaliseGraphRecord,
}

export const portalJsonFormat: RecordFormat = {
  id: 'portal-json',
  label: 'Entra portal JSON download',
  normaliser: () => normaliseGraphRecord,
}

export function looksLikeGraphRecord(record: SourceRecord): boolean {
  return 'createdDateTime' in record && !('properties' in record)
}
