import { optionalBoolean } from '../normalise'
import type { RecordFormat, SourceRecord } from '../types'
import { NON_USER_CATEGORIES, buildEvent, eventTypes, interactiveFromCategory, interactiveFromEventTypes, isNonUserByEventTypes, objectAt } from './build-event'

/**
 * Azure Monitor diagnostic-settings records (storage-account PT1H.json blobs, one record per
 * line, or Event Hub messages `{"records": [...]}`): an envelope around the Graph signIn object
 * in `properties`. `properties.createdDateTime` may carry a non-UTC offset.
 */
export const diagnosticFormat: RecordFormat = {
  id: 'diagnostic',
  label: 'Azure Monitor diagnostic-settings records',
  normaliser: () => (record: SourceRecord) => {
    const category = typeof record.category === 'string' ? record.category : undefined
    const properties = objectAt(record.properties) ?? {}
    const types = eventTypes(properties.signInEventTypes)
    if ((category && NON_USER_CATEGORIES.has(category.toLowerCase())) || isNonUserByEventTypes(types)) return { kind: 'skipped' }
    const status = objectAt(properties.status)
    const location = objectAt(properties.location)
    const hasCreated = properties.createdDateTime !== undefined && properties.createdDateTime !== null && properties.createdDateTime !== ''
    return buildEvent(
      {
        id: properties.id,
        time: hasCreated ? properties.createdDateTime : record.time,
        timeField: hasCreated ? 'properties.createdDateTime' : 'time',
        userPrincipalName: properties.userPrincipalName,
        ipAddress: properties.ipAddress ?? record.callerIpAddress,
        clientAppUsed: properties.clientAppUsed,
        userAgent: properties.userAgent,
        appDisplayName: properties.appDisplayName,
        appId: properties.appId,
        errorCode: record.resultType ?? status?.errorCode,
        failureReason: status?.failureReason ?? record.resultDescription,
        locationCity: location?.city,
        locationState: location?.state,
        locationCountry: location?.countryOrRegion ?? record.location,
        autonomousSystem: properties.autonomousSystemNumber,
        isInteractive: interactiveFromCategory(category) ?? optionalBoolean(properties.isInteractive) ?? interactiveFromEventTypes(types),
      },
      record,
    )
  },
}

export function looksLikeDiagnosticRecord(record: SourceRecord): boolean {
  return objectAt(record.properties) !== null && ('category' in record || 'operationName' in record || 'time' in record)
}
