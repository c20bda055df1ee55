import { Readable } from 'node:stream'
import { createInterface } from 'node:readline'
import { ingestLimits, type IngestLimits } from '../ingest-limits'
import type { SourceRecord } from '../types'
import type { ReadItem } from './read-item'
import { guardRecords } from './record-guard'

/**
 * JSON Lines: one record per line (LogScale NDJSON, diagnostic-settings PT1H.json blobs), or one
 * envelope per line (`{"records": [...]}` Event Hub messages, `{"value": [...]}` Graph pages).
 * A line that is not JSON, or longer than the limit (never held whole), is rejected alone; the
 * lines around it are kept.
 */
export async function* readJsonLines(content: Readable, limits: IngestLimits = ingestLimits()): AsyncGenerator<ReadItem> {
  const guarded = guardRecords(content, limits, { quotes: false })
  const lines = createInterface({ input: Readable.from(guarded.bytes, { objectMode: false }), crlfDelay: Infinity })
  let lineNumber = 0
  for await (const line of lines) {
    lineNumber++
    while (guarded.rejections.length && guarded.rejections[0].position <= lineNumber) yield guarded.rejections.shift()!
    const text = line.trim()
    if (text === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      yield { position: lineNumber, error: `not valid JSON: ${(error as Error).message}`, excerpt: text.slice(0, 300) }
      continue
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      yield { position: lineNumber, error: 'line is not a JSON object', excerpt: text.slice(0, 300) }
      continue
    }
    const envelope = value as Record<string, unknown>
    const inner = Array.isArray(envelope.records) ? envelope.records : Array.isArray(envelope.value) ? envelope.value : null
    if (inner) {
      for (const record of inner) {
        if (record && typeof record === 'object' && !Array.isArray(record)) yield { record: record as SourceRecord, position: lineNumber }
        else yield { position: lineNumber, error: 'array element is not a JSON object', excerpt: JSON.stringify(record)?.slice(0, 300) ?? '' }
      }
    } else {
      yield { record: envelope, position: lineNumber }
    }
  }
  yield* guarded.rejections
}
