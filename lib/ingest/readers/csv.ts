import { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import type { ReadItem, UnreadableRecord } from './read-item'

/**
 * RFC 4180 CSV (JSON cells with doubled quotes and newlines, as Log Analytics writes them).
 * Records are keyed by the header as written; a repeated header name gets " #2", " #3", so the
 * stored original record loses nothing ("Incoming token type" appears twice in portal exports).
 *
 * Regular files are read by CsvScanner (several times faster than csv-parse, which was most of
 * an import's CPU time); at the first irregular record the rest of the file goes to csv-parse,
 * whose recovery rules (skip the broken record, report it) then apply exactly as before.
 */
export function uniqueHeaders(header: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return header.map((name) => {
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    return count === 1 ? name : `${name} #${count}`
  })
}

const NEED_MORE = Symbol('need more text')
const IRREGULAR = Symbol('irregular CSV')

const QUOTE = 34 // "
const COMMA = 44
const CR = 13
const LF = 10

interface ScannedRecord {
  fields: string[]
  /** csv-parse's info.lines when it emits this record: the line its record delimiter is on. */
  lines: number
}

/**
 * The fast path: RFC 4180 records from decoded text, for files that are regular (every portal
 * and Log Analytics export is). It reads exactly what csv-parse reads with
 * the reader's options and reports the same `lines`, and gives up (IRREGULAR) on anything where
 * csv-parse's recovery rules matter: a stray quote, an unclosed quote, a lone CR or LF that is
 * not the file's record delimiter. The reader then hands the rest of the file to csv-parse.
 */
class CsvScanner {
  private text = ''
  private pos = 0
  /** As csv-parse counts: 1 + every CR and LF read, a CRLF record delimiter counting once. */
  lines = 1
  /** Discovered like csv-parse does: the first CRLF, LF or CR outside quotes. */
  delimiter: '\r\n' | '\n' | '\r' | null = null

  push(text: string): void {
    this.text = this.pos === 0 ? this.text + text : this.text.slice(this.pos) + text
    this.pos = 0
  }

  /** Text not yet turned into records (from the start of the record being read). */
  rest(): string {
    return this.text.slice(this.pos)
  }

  /** Unread text length, to know how much a record that needs more has already. */
  pending(): number {
    return this.text.length - this.pos
  }

  /**
   * The next record, NEED_MORE when the text ends inside one (and `final` is false), null at the
   * end of the input, or IRREGULAR. Nothing is consumed unless a record (or blank line) is.
   */
  next(final: boolean): ScannedRecord | null | typeof NEED_MORE | typeof IRREGULAR {
    const text = this.text
    const length = text.length
    let i = this.pos
    let lines = this.lines
    // skip_empty_lines: a record delimiter at the start of a record is a blank line.
    for (;;) {
      if (i >= length) {
        this.pos = i
        this.lines = lines
        return final ? null : NEED_MORE
      }
      const c = text.charCodeAt(i)
      if (c !== CR && c !== LF) break
      const size = this.delimiterAt(i, final)
      if (size === NEED_MORE || size === IRREGULAR) {
        this.pos = i
        this.lines = lines
        return size
      }
      i += size
      lines++
    }
    this.pos = i
    this.lines = lines

    const start = i
    const fields: string[] = []
    for (;;) {
      let value: string
      if (text.charCodeAt(i) === QUOTE) {
        // Quoted: runs to a quote not followed by another; "" is a quote.
        let from = i + 1
        value = ''
        for (;;) {
          const q = text.indexOf('"', from)
          if (q === -1) return final ? IRREGULAR : NEED_MORE // csv-parse: quote not closed
          if (q + 1 >= length) {
            if (!final) return NEED_MORE
            value += text.slice(from, q)
            i = q + 1
            break
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1)
            from = q + 2
            continue
          }
          value += text.slice(from, q)
          i = q + 1
          break
        }
        if (i < length) {
          const c = text.charCodeAt(i)
          if (c !== COMMA && c !== CR && c !== LF) return IRREGULAR // csv-parse: invalid closing quote
        }
      } else {
        // Unquoted: runs to a comma or the line's end; a quote in it is csv-parse's error.
        let j = i
        for (; j < length; j++) {
          const c = text.charCodeAt(j)
          if (c === COMMA || c === CR || c === LF) break
          if (c === QUOTE) return IRREGULAR
        }
        value = text.slice(i, j)
        i = j
      }
      fields.push(value)
      if (i >= length) {
        if (!final) return NEED_MORE
        return this.emit(fields, start, i, 0)
      }
      if (text.charCodeAt(i) === COMMA) {
        i++
        // A comma that ends the text: the record goes on in text not read yet.
        if (i >= length && !final) return NEED_MORE
        if (i >= length) {
          fields.push('')
          return this.emit(fields, start, i, 0)
        }
        continue
      }
      const size = this.delimiterAt(i, final)
      if (size === NEED_MORE || size === IRREGULAR) return size
      return this.emit(fields, start, i, size)
    }
  }

  /** Length of the record delimiter at i (discovering it on first sight), or why there is none. */
  private delimiterAt(i: number, final: boolean): number | typeof NEED_MORE | typeof IRREGULAR {
    const text = this.text
    const c = text.charCodeAt(i)
    if (this.delimiter === null) {
      if (c === CR) {
        if (i + 1 >= text.length && !final) return NEED_MORE
        this.delimiter = text.charCodeAt(i + 1) === LF ? '\r\n' : '\r'
      } else {
        this.delimiter = '\n'
      }
    }
    if (this.delimiter === '\r\n') {
      if (c !== CR) return IRREGULAR // a lone LF: csv-parse keeps it in the field
      if (i + 1 >= text.length) return final ? IRREGULAR : NEED_MORE
      return text.charCodeAt(i + 1) === LF ? 2 : IRREGULAR
    }
    return c === this.delimiter.charCodeAt(0) ? 1 : IRREGULAR
  }

  private emit(fields: string[], start: number, end: number, delimiterSize: number): ScannedRecord {
    // Line breaks inside quoted cells count one line per CR and per LF, as csv-parse counts them.
    let lines = this.lines
    const record = this.text.slice(start, end)
    for (let k = record.indexOf('\n'); k !== -1; k = record.indexOf('\n', k + 1)) lines++
    for (let k = record.indexOf('\r'); k !== -1; k = record.indexOf('\r', k + 1)) lines++
    this.pos = end + delimiterSize
    this.lines = lines + (delimiterSize > 0 ? 1 : 0)
    return { fields, lines }
  }
}

interface RawRecord {
  fields: string[]
  /** csv-parse's info.lines for the record: the line it ends on. */
  lines: number
}

type RawItem = RawRecord | UnreadableRecord

const CSV_PARSE_OPTIONS = { info: true, relax_column_count: true, skip_records_with_error: true, skip_empty_lines: true, relax_quotes: false } as const

/** How many leading bytes of `bytes` are whole UTF-8 characters (the rest waits for the next chunk). */
function wholeUtf8Length(bytes: Buffer): number {
  const end = bytes.length
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = bytes[end - back]
    if ((byte & 0xc0) === 0x80) continue // continuation byte: look further back for the lead
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return size > back ? end - back : end
  }
  return end
}

async function* csvParseRest(scanner: CsvScanner, carry: Buffer, chunks: AsyncIterator<Buffer | string>): AsyncGenerator<RawItem> {
  // Blank lines in front put csv-parse's line count where the scanner stopped.
  const prefix = scanner.delimiter ? scanner.delimiter.repeat(scanner.lines - 1) : ''
  const parser = parse({ ...CSV_PARSE_OPTIONS, ...(scanner.delimiter ? { record_delimiter: scanner.delimiter } : {}) })
  const skipped: UnreadableRecord[] = []
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ position: error.lines ?? 0, error: `malformed CSV: ${error.message}`, excerpt: '' })
  })
  async function* rest(): AsyncGenerator<Buffer | string> {
    yield prefix + scanner.rest()
    if (carry.length) yield carry
    for (;;) {
      const next = await chunks.next()
      if (next.done) return
      yield next.value
    }
  }
  const source = Readable.from(rest(), { objectMode: false })
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length) yield skipped.shift()!
    yield { fields: record, lines: info.lines }
  }
  while (skipped.length) yield skipped.shift()!
}

async function* rawRecords(content: Readable): AsyncGenerator<RawItem> {
  const scanner = new CsvScanner()
  const chunks = content[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>
  let carry: Buffer = Buffer.alloc(0)
  let final = false
  for (;;) {
    const item = scanner.next(final)
    if (item === null) return
    if (item === IRREGULAR) {
      yield* csvParseRest(scanner, carry, chunks)
      return
    }
    if (item !== NEED_MORE) {
      yield item
      continue
    }
    // A record runs past the text read so far: read at least as much again before retrying,
    // so that a huge record is scanned a few times, not once per chunk.
    const wanted = Math.max(1, scanner.pending())
    let added = 0
    while (added < wanted) {
      const next = await chunks.next()
      if (next.done) {
        final = true
        if (carry.length) scanner.push(carry.toString('utf8'))
        carry = Buffer.alloc(0)
        break
      }
      const piece = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
      const bytes = carry.length ? Buffer.concat([carry, piece]) : piece
      const whole = wholeUtf8Length(bytes)
      scanner.push(bytes.toString('utf8', 0, whole))
      carry = bytes.subarray(whole)
      added += whole
    }
  }
}

export async function* readCsv(content: Readable, onHeader: (headers: string[]) => void): AsyncGenerator<ReadItem> {
  let headers: string[] | null = null
  let previousEndLine = 0
  for await (const item of rawRecords(content)) {
    if ('error' in item) {
      yield item
      continue
    }
    const record = item.fields
    const startLine = previousEndLine + 1
    previousEndLine = item.lines
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
  if (!headers) onHeader([])
}
