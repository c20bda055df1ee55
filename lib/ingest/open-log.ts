import path from 'node:path'
import type { DecodedInput } from './byte-source'
import { ingestLimits, type IngestLimits } from './ingest-limits'
import { looksLikeDiagnosticRecord, diagnosticFormat } from './formats/diagnostic'
import { graphFormat, looksLikeGraphRecord, portalJsonFormat } from './formats/graph'
import { logAnalyticsCsvFormat, logAnalyticsJsonFormat, looksLikeLogAnalyticsRecord } from './formats/log-analytics'
import { logscaleFormat, looksLikeLogScaleRecord } from './formats/logscale'
import { classifyCsvHeader, portalCsvFormat } from './formats/portal-csv'
import { readCsv } from './readers/csv'
import { readJsonDocument } from './readers/json-document'
import { readJsonLines } from './readers/json-lines'
import { isUnreadable, type ReadItem } from './readers/read-item'
import { IncompleteLogError, NotApplicableError, NotASignInLogError, type FormatContext, type NormalisedEvent, type NormaliseResult, type RecordFormat, type SourceRecord } from './types'

/**
 * Recognises what a file is from its content (docs/reference/signin-formats.md §8.2) and returns
 * its records with the format that reads them. The file name is only a hint for what content
 * cannot tell: whether a portal CSV holds interactive or non-interactive sign-ins.
 */

export interface OpenedLog {
  format: RecordFormat
  context: FormatContext
  records: AsyncIterable<ReadItem>
}

type Container = 'csv' | 'json-array' | 'json-document' | 'json-lines'

export function interactiveHintFromName(fileName: string): boolean | null {
  const base = path.basename(fileName).toLowerCase()
  if (base.startsWith('noninteractivesignins') || base.includes('noninteractive')) return false
  if (base.startsWith('interactivesignins') || base.includes('interactive')) return true
  return null
}

/** `{"@odata.context": "…", "value": [` or `{"records": [`: a Graph page or an Event Hub message. */
const ENVELOPE_START = /^\{\s*(?:"@odata\.[^"]*"\s*:\s*(?:"(?:[^"\\]|\\.)*"|[-\d.]+|null|true|false)\s*,\s*)*"(?:value|records)"\s*:\s*\[/

export function looksLikeEnvelopeStart(text: string): boolean {
  return ENVELOPE_START.test(text.trimStart().slice(0, 4096))
}

function detectContainer(head: Buffer): Container {
  const text = head.toString('utf8')
  const start = text.search(/\S/)
  if (start === -1) throw new NotASignInLogError('the file is empty')
  if (head.subarray(0, 512).includes(0)) throw new NotASignInLogError('the file is binary, not a text export')
  const first = text[start]
  if (first === '[') return 'json-array'
  if (first === '{') {
    const newline = text.indexOf('\n', start)
    try {
      const line = JSON.parse(newline === -1 ? text.slice(start) : text.slice(start, newline)) as Record<string, unknown>
      // One line and no newline: a whole file holding one record (NDJSON without a final newline)
      // is JSON Lines; one envelope with its array stays a document (record numbers, not line 1).
      if (newline !== -1 || !(Array.isArray(line.value) || Array.isArray(line.records))) return 'json-lines'
    } catch {
      // Not one object per line: a (pretty-printed) JSON document, or a first line too long for
      // the head. Without a line break in the head, only an envelope's start makes it a document:
      // a JSON Lines file whose first line is huge must stay JSON Lines (that line is rejected
      // alone, the others read).
      if (newline === -1 && !ENVELOPE_START.test(text.slice(start, start + 4096))) return 'json-lines'
    }
    return 'json-document'
  }
  return 'csv'
}

function recordFormat(record: SourceRecord, container: Container): RecordFormat | null {
  if (looksLikeLogScaleRecord(record)) return logscaleFormat
  if (looksLikeDiagnosticRecord(record)) return diagnosticFormat
  if (looksLikeGraphRecord(record)) return container === 'json-array' ? portalJsonFormat : graphFormat
  if (looksLikeLogAnalyticsRecord(record)) return logAnalyticsJsonFormat
  return null
}

async function* prepend(first: ReadItem[], rest: AsyncIterator<ReadItem>): AsyncGenerator<ReadItem> {
  yield* first
  for (;;) {
    const next = await rest.next()
    if (next.done) return
    yield next.value
  }
}

async function openCsv(input: DecodedInput, context: FormatContext, limits: IngestLimits): Promise<OpenedLog> {
  let headers: string[] | null = null
  const iterator = readCsv(input.content, (h) => (headers = h), limits)[Symbol.asyncIterator]()
  // The header arrives with the first pull; anything before it (a broken first line) is kept for the report.
  const early: ReadItem[] = []
  while (!headers) {
    const next = await iterator.next()
    if (next.done) break
    early.push(next.value)
  }
  const header: string[] = headers ?? []
  switch (classifyCsvHeader(header)) {
    case 'portal-user':
      return { format: portalCsvFormat, context: { ...context, headers: header }, records: prepend(early, iterator) }
    case 'log-analytics-user':
      return { format: logAnalyticsCsvFormat, context: { ...context, headers: header }, records: prepend(early, iterator) }
    case 'portal-non-user':
    case 'log-analytics-non-user':
      await iterator.return?.(undefined)
      throw new NotApplicableError('service-principal or managed-identity sign-ins: they have no user name, so the enumeration detection does not use them')
    default:
      await iterator.return?.(undefined)
      throw new NotASignInLogError(
        `not a sign-in log: the CSV header has none of the columns of a known export (expected "Date (UTC)" and "Username" from the Entra portal, or "CreatedDateTime [UTC]" and "UserPrincipalName" from Log Analytics); it starts ${JSON.stringify(header.slice(0, 4).join(','))}`,
      )
  }
}

async function openJson(input: DecodedInput, container: Exclude<Container, 'csv'>, context: FormatContext, limits: IngestLimits): Promise<OpenedLog> {
  const items =
    container === 'json-lines' ? readJsonLines(input.content, limits) : readJsonDocument(input.content, container === 'json-array', limits)
  const iterator = items[Symbol.asyncIterator]()
  const early: ReadItem[] = []
  for (;;) {
    const next = await iterator.next()
    if (next.done) {
      if (early.length === 0) throw new NotASignInLogError('no records found: the JSON holds no array of sign-in records (expected a top-level array, "value" or "records")')
      const firstError = early.find(isUnreadable)
      throw new NotASignInLogError(`not a sign-in log: no record could be read${firstError ? ` (record ${firstError.position}: ${firstError.error})` : ''}`)
    }
    early.push(next.value)
    if (isUnreadable(next.value)) {
      if (next.value.fatal) throw new (next.value.truncated ? IncompleteLogError : NotASignInLogError)(`not valid JSON: ${next.value.error}`)
      continue
    }
    const format = recordFormat(next.value.record, container)
    if (!format) {
      await iterator.return?.(undefined)
      const keys = Object.keys(next.value.record).slice(0, 6).join(', ')
      throw new NotASignInLogError(
        `not a sign-in log: the records have none of the fields of a known format (createdDateTime, properties + category, @timestamp, or UserPrincipalName + CreatedDateTime); the first has ${keys || 'no fields'}`,
      )
    }
    return { format, context, records: prepend(early, iterator) }
  }
}

/** The event values kept as columns and shown on pages: each within the field limit. */
const CAPPED_FIELDS = ['userPrincipalName', 'userAgent', 'clientAppUsed', 'appDisplayName', 'failureReason', 'sourceEventId', 'appId', 'locationCity', 'locationState', 'locationCountry'] as const satisfies readonly (keyof NormalisedEvent)[]

function withFieldLimit(format: RecordFormat, limits: IngestLimits): RecordFormat {
  const max = limits.maxFieldChars
  const capped = (result: NormaliseResult): NormaliseResult => {
    if (result.kind !== 'event') return result
    for (const field of CAPPED_FIELDS) {
      const value = result.event[field]
      if (value !== null && value.length > max) return { kind: 'rejected', reason: `${field} is ${value.length} characters; the limit is ${max} (ET_INGEST_MAX_FIELD_CHARS)` }
    }
    return result
  }
  const fieldNormaliser = format.fieldNormaliser
  return {
    ...format,
    normaliser(context) {
      const normalise = format.normaliser(context)
      return (record) => capped(normalise(record))
    },
    fieldNormaliser: fieldNormaliser
      ? (context) => {
          const normalise = fieldNormaliser(context)
          return (fields) => capped(normalise(fields))
        }
      : undefined,
  }
}

export async function openSignInLog(input: DecodedInput, fileName: string, limits: IngestLimits = ingestLimits()): Promise<OpenedLog> {
  const context: FormatContext = { interactiveHint: interactiveHintFromName(fileName) }
  const container = detectContainer(input.head)
  const opened = container === 'csv' ? await openCsv(input, context, limits) : await openJson(input, container, context, limits)
  return { ...opened, format: withFieldLimit(opened.format, limits) }
}
