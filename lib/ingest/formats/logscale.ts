import { optionalBoolean } from '../normalise'
import type { RecordFormat, SourceRecord } from '../types'
import { NON_USER_CATEGORIES, buildEvent, interactiveFromCategory, objectAt } from './build-event'

/**
 * Events exported from CrowdStrike Falcon LogScale (NDJSON or a JSON array; every value a string
 * except `@timestamp`, epoch milliseconds). Parsers differ on where the Entra fields live: at the
 * top level (`properties.*` flattened, as the reference rule reads them), under `Vendor.`,
 * `Vendor.properties.` or `properties.`, flattened with dots or nested.
 */
const PREFIXES = ['', 'Vendor.properties.', 'Vendor.', 'properties.']

function lookup(record: SourceRecord, path: string): unknown {
  if (path in record) return record[path]
  // Nested rather than flattened: walk the dotted path.
  let current: unknown = record
  for (const part of path.split('.')) {
    const object = objectAt(current)
    if (!object || !(part in object)) return undefined
    current = object[part]
  }
  return current
}

function field(record: SourceRecord, name: string): unknown {
  for (const prefix of PREFIXES) {
    const value = lookup(record, prefix + name)
    if (value !== undefined && value !== null) return value
  }
  return undefined
}

export const logscaleFormat: RecordFormat = {
  id: 'logscale',
  label: 'LogScale events (NDJSON)',
  normaliser: () => (record: SourceRecord) => {
    const category = field(record, 'category')
    if (typeof category === 'string' && NON_USER_CATEGORIES.has(category.toLowerCase())) return { kind: 'skipped' }
    return buildEvent(
      {
        id: field(record, 'id') ?? record['@id'],
        time: record['@timestamp'],
        timeField: '@timestamp',
        userPrincipalName: field(record, 'userPrincipalName'),
        ipAddress: field(record, 'ipAddress') ?? field(record, 'callerIpAddress'),
        clientAppUsed: field(record, 'clientAppUsed'),
        userAgent: field(record, 'userAgent'),
        appDisplayName: field(record, 'appDisplayName'),
        appId: field(record, 'appId'),
        errorCode: field(record, 'resultType') ?? field(record, 'status.errorCode'),
        failureReason: field(record, 'status.failureReason') ?? field(record, 'resultDescription'),
        locationCity: field(record, 'location.city'),
        locationState: field(record, 'location.state'),
        locationCountry: field(record, 'location.countryOrRegion'),
        autonomousSystem: field(record, 'autonomousSystemNumber'),
        isInteractive: interactiveFromCategory(category) ?? optionalBoolean(field(record, 'isInteractive')),
      },
      record,
    )
  },
}

export function looksLikeLogScaleRecord(record: SourceRecord): boolean {
  return '@timestamp' in record
}
