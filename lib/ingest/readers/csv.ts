import type { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import type { ReadItem } from './read-item'

/**
 * RFC 4180 CSV (JSON cells with doubled quotes and newlines, as Log Analytics writes them).
 * Records are keyed by the header as written; a repeated header name gets " #2", " #3", so the
 * stored original record loses nothing ("Incoming token type" appears twice in portal exports).
 */
export function uniqueHeaders(header: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return header.map((name) => {
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    return count === 1 ? name : `${name} #${count}`
  })
}

export async function* readCsv(content: Readable, onHeader: (headers: string[]) => void): AsyncGenerator<ReadItem> {
  const parser = parse({ info: true, relax_column_count: true, skip_records_with_error: true, skip_empty_lines: true, relax_quotes: false })
  const skipped: ReadItem[] = []
  parser.on('skip', (error: Error & { lines?: number; record?: unknown }) => {
    skipped.push({ position: error.lines ?? 0, error: `malformed CSV: ${error.message}`, excerpt: '' })
  })
  content.on('error', (error) => parser.destroy(error))
  content.pipe(parser)

  let headers: string[] | null = null
  let previousEndLine = 0
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length) yield skipped.shift()!
    const startLine = previousEndLine + 1
    previousEndLine = info.lines
    if (!headers) {
      headers = uniqueHeaders(record)
      onHeader(headers)
      continue
    }
    if (record.length !== headers.length) {
      yield {
        position: startLine,
        error: `expected ${headers.length} fields as in the header, found ${record.length}`,
        excerpt: record.join(',').slice(0, 300),
      }
      continue
    }
    const row: Record<string, string> = {}
    for (let i = 0; i < headers.length; i++) row[headers[i]] = record[i]
    yield { record: row, position: startLine }
  }
  while (skipped.length) yield skipped.shift()!
  if (!headers) onHeader([])
}
