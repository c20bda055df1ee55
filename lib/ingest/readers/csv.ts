import { Readable } from 'node:stream'
import { type CsvError, type Options, parse } from 'csv-parse'
import { parse as parseSync } from 'csv-parse/sync'
import { InputLimitError, ingestLimits, type IngestLimits } from '../ingest-limits'
import type { PositionedRecord, SourceRecord } from '../types'
import type { ReadItem, UnreadableRecord } from './read-item'
import { guardRecords } from './record-guard'

/**
 * RFC 4180 CSV (JSON cells with doubled quotes and newlines, as Log Analytics writes them).
 * Records are keyed by the header as written; a repeated header name gets " #2", " #3", so the
 * stored original record loses nothing ("Incoming token type" appears twice in portal exports).
 *
 * Regular files are read by CsvScanner (several times faster than csv-parse, which was most of
 * an import's CPU time); at the first irregular record the rest of the file goes to csv-parse,
 * whose recovery rules (skip the broken record, report it) then apply exactly as before.
 *
 * Each record's position is the line it starts on, counting a CRLF, a lone CR and a lone LF as
 * one line break each, inside quoted cells too, and counting the blank lines skipped.
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
  /** The line the record starts on. */
  line: number
  /** The record's text as the file has it, without its line break; null when it spans lines. */
  text: string | null
}

/**
 * The fast path: RFC 4180 records from decoded text, for files that are regular (every portal
 * and Log Analytics export is). It reads exactly what csv-parse reads with
 * the reader's options, and gives up (IRREGULAR) on anything where
 * csv-parse's recovery rules matter: a stray quote, an unclosed quote, a lone CR or LF that is
 * not the file's record delimiter. The reader then hands the rest of the file to csv-parse.
 */
class CsvScanner {
  private text = ''
  private pos = 0
  /** The line `pos` is on: 1 + the line breaks before it (a CRLF, lone CR or lone LF is one). */
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
    const line = this.lines
    // Line breaks inside quoted cells: every LF, and every CR that is not the first half of a
    // CRLF. The slice keeps each search inside the record (a CR-delimited file has no LF at all).
    let breaks = 0
    const record = this.text.slice(start, end)
    for (let k = record.indexOf('\n'); k !== -1; k = record.indexOf('\n', k + 1)) breaks++
    for (let k = record.indexOf('\r'); k !== -1; k = record.indexOf('\r', k + 1)) if (record.charCodeAt(k + 1) !== LF) breaks++
    this.pos = end + delimiterSize
    this.lines = line + breaks + (delimiterSize > 0 ? 1 : 0)
    return { fields, line, text: breaks === 0 ? record : null }
  }
}

interface RawRecord {
  fields: string[]
  /** The line the record starts on. */
  line: number
  /** The record's text (CsvScanner only, and only when on one line; csv-parse does not give it). */
  text?: string | null
}

type RawItem = RawRecord | UnreadableRecord

const CSV_PARSE_OPTIONS = { relax_column_count: true, skip_records_with_error: true, skip_empty_lines: true, relax_quotes: false } as const

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

/** Index of the first CR or LF in `bytes` from `from`, or -1; the searches look a little further each time, not to the end. */
function nextBreakByte(bytes: Buffer, from: number): number {
  for (let start = from, span = 256; start < bytes.length; start += span, span *= 2) {
    const part = bytes.subarray(start, Math.min(start + span, bytes.length))
    const lf = part.indexOf(LF)
    const cr = part.indexOf(CR)
    if (lf !== -1 || cr !== -1) return start + (lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr))
  }
  return -1
}

/**
 * The bytes handed to csv-parse, kept from the record being read on, and the line each offset in
 * them is on. csv-parse's own count (info.lines) cannot give positions: it counts both bytes of a
 * CRLF inside a quoted cell, and it says where a record ends, not where it starts.
 */
class FedBytes {
  private chunks: Buffer[] = []
  /** Offset of chunks[0] in the bytes fed. */
  private chunksStart = 0
  /** Lines are counted up to here: `line` is the line this offset is on, `crlf` the CR and LF bytes before it. */
  private cursor = 0
  private line: number
  crlf = 0

  constructor(firstLine: number) {
    this.line = firstLine
  }

  add(bytes: Buffer): Buffer {
    this.chunks.push(bytes)
    return bytes
  }

  byteAt(offset: number): number {
    let base = this.chunksStart
    for (const chunk of this.chunks) {
      if (offset < base + chunk.length) return offset >= base ? chunk[offset - base] : -1
      base += chunk.length
    }
    return -1
  }

  startsWith(offset: number, bytes: Buffer): boolean {
    for (let i = 0; i < bytes.length; i++) if (this.byteAt(offset + i) !== bytes[i]) return false
    return true
  }

  slice(from: number, to: number): Buffer {
    const parts: Buffer[] = []
    let base = this.chunksStart
    for (const chunk of this.chunks) {
      if (base >= to) break
      const a = Math.max(from - base, 0)
      const b = Math.min(to - base, chunk.length)
      if (a < b) parts.push(chunk.subarray(a, b))
      base += chunk.length
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts)
  }

  /**
   * The line the byte at `offset` is on: 1 + every LF before it and every CR not followed by an
   * LF (a CRLF is one line break, and its LF is on the CR's line). Offsets asked never go back.
   */
  lineAt(offset: number): number {
    let base = this.chunksStart
    for (let c = 0; c < this.chunks.length && base < offset; c++) {
      const chunk = this.chunks[c]
      const from = Math.max(this.cursor - base, 0)
      const to = Math.min(offset - base, chunk.length)
      if (from < to) {
        const part = chunk.subarray(from, to)
        for (let k = part.indexOf(LF); k !== -1; k = part.indexOf(LF, k + 1)) {
          this.line++
          this.crlf++
        }
        for (let k = part.indexOf(CR); k !== -1; k = part.indexOf(CR, k + 1)) {
          this.crlf++
          const next = from + k + 1 < chunk.length ? chunk[from + k + 1] : this.byteAt(base + from + k + 1)
          if (next !== LF) this.line++
        }
      }
      base += chunk.length
    }
    if (offset > this.cursor) this.cursor = offset
    return this.line
  }

  /** The line reached from `from` (on line `line`) after `count` CR and LF bytes. */
  lineAfterBreakBytes(from: number, line: number, count: number): number {
    let seen = 0
    let base = this.chunksStart
    for (const chunk of this.chunks) {
      for (let k = nextBreakByte(chunk, Math.max(from - base, 0)); k !== -1 && seen < count; k = nextBreakByte(chunk, k + 1)) {
        seen++
        const next = k + 1 < chunk.length ? chunk[k + 1] : this.byteAt(base + k + 1)
        if (!(chunk[k] === CR && next === LF)) line++
      }
      if (seen >= count) break
      base += chunk.length
    }
    return line
  }

  /** Forgets the bytes before `offset` (and before where lines are counted). */
  release(offset: number): void {
    const keep = Math.min(offset, this.cursor)
    while (this.chunks.length && this.chunksStart + this.chunks[0].length <= keep) this.chunksStart += this.chunks.shift()!.length
  }
}

/** What is known after the last record csv-parse read or skipped. */
type Anchor =
  /** A record read: the offset after it, and csv-parse's info.lines there. */
  | { read: true; end: number; lcp: number }
  /**
   * A record skipped: where it starts, its line, csv-parse's info.lines and the CR and LF bytes
   * there, and the column and info.bytes of its last error. Its end is unknown.
   */
  | { read: false; start: number; line: number; lcp: number; crlf: number; column: number; bytes: number }

type SkippedAnchor = Extract<Anchor, { read: false }>

/**
 * Start lines for what csv-parse reads and skips, from its offsets. A record read reports the
 * offset after it (info.bytes), so the next one starts past the blank lines there. A broken
 * record reports (in its error) the offset where its last complete field ended, or where it
 * started if it has none. What follows a broken record is placed by reading the text from that
 * record's start again with csv-parse, to find where its records start (this is rare, and short).
 */
class FallbackPositions {
  private anchor: Anchor = { read: true, end: 0, lcp: 1 }

  constructor(
    private readonly fed: FedBytes,
    /** csv-parse's record delimiter, once it is known. */
    private readonly delimiter: () => Buffer | undefined,
  ) {}

  /** The line of a record csv-parse read; `end` and `lines` are its info.bytes and info.lines. */
  read(end: number, lines: number): number {
    const start = this.anchor.read ? this.skipBlankLines(this.anchor.end) : this.lastRecordStart(this.anchor.start, end).start
    const line = this.fed.lineAt(start)
    // csv-parse counts the record delimiter's line when it reads the next byte.
    this.anchor = { read: true, end, lcp: lines + 1 }
    this.fed.release(start)
    return line
  }

  /** A record csv-parse skipped, at the line it starts on; the error names the line of the fault. */
  skipped(error: CsvError): UnreadableRecord {
    const lines = Number(error.lines)
    const record = this.skippedRecord(Number(error.column), Number(error.bytes))
    this.anchor = record
    this.fed.release(record.start)
    // Inside a record csv-parse counts every CR and LF byte, so its count since the record's start
    // is how many of them precede the fault.
    const faultLine = this.fed.lineAfterBreakBytes(record.start, record.line, lines - record.lcp)
    return { position: record.line, error: `malformed CSV: ${error.message.replace(`line ${lines}`, `line ${faultLine}`)}`, excerpt: '' }
  }

  private skippedRecord(column: number, bytes: number): SkippedAnchor {
    const anchor = this.anchor
    // Another fault in the same field of the same record.
    if (!anchor.read && anchor.column === column && anchor.bytes === bytes) return anchor
    const size = this.delimiter()?.length ?? 1
    if (anchor.read) {
      const start = this.skipBlankLines(anchor.end)
      const line = this.fed.lineAt(start)
      // Each blank line is one more line for csv-parse.
      return { read: false, start, line, lcp: anchor.lcp + (start - anchor.end) / size, crlf: this.fed.crlf, column, bytes }
    }
    // After a skipped record: with no complete field yet, `bytes` is where this record's blank
    // lines begin; otherwise read the text again from the skipped record's start up to the end of
    // this record's last complete field (at `bytes`) to see which record that field is in.
    let start: number
    let delimiters: number
    if (column === 0) {
      start = this.skipBlankLines(bytes)
      delimiters = 1 + (start - bytes) / size
    } else {
      ;({ start, delimiters } = this.lastRecordStart(anchor.start, bytes + 1))
      if (start === anchor.start) {
        anchor.column = column
        anchor.bytes = bytes
        return anchor
      }
    }
    const line = this.fed.lineAt(start)
    // csv-parse counts a multi-byte record delimiter (CRLF) once.
    const lcp = anchor.lcp + (this.fed.crlf - anchor.crlf) - (size - 1) * delimiters
    return { read: false, start, line, lcp, crlf: this.fed.crlf, column, bytes }
  }

  private skipBlankLines(offset: number): number {
    const delimiter = this.delimiter()
    if (!delimiter) return offset
    while (this.fed.startsWith(offset, delimiter)) offset += delimiter.length
    return offset
  }

  /**
   * Where the last record of the text from `from` (a record's start) to `to` starts, by csv-parse,
   * and how many record delimiters (blank lines included) come before it.
   */
  private lastRecordStart(from: number, to: number): { start: number; delimiters: number } {
    const bytes = this.fed.slice(from, to)
    const delimiter = this.delimiter()
    let start = 0
    let delimiters = 0
    let fieldEnd = -1
    parseSync(bytes, {
      ...CSV_PARSE_OPTIONS,
      ...(delimiter ? { record_delimiter: delimiter } : {}),
      // Called for every field, of broken records too: `bytes` is where the field ended.
      cast: (value, context) => {
        if (context.index === 0 && fieldEnd !== -1 && delimiter) {
          start = fieldEnd + delimiter.length
          delimiters++
          while (start + delimiter.length <= bytes.length && bytes.subarray(start, start + delimiter.length).equals(delimiter)) {
            start += delimiter.length
            delimiters++
          }
        }
        fieldEnd = context.bytes
        return value
      },
    })
    return { start: from + start, delimiters }
  }
}

async function* csvParseRest(scanner: CsvScanner, carry: Buffer, chunks: AsyncIterator<Buffer | string>): AsyncGenerator<RawItem> {
  const first = Buffer.from(scanner.rest())
  // An LF right after a CR record delimiter is the rest of that line break.
  const fed = new FedBytes(scanner.delimiter === '\r' && first[0] === LF ? scanner.lines - 1 : scanner.lines)
  const positions = new FallbackPositions(fed, () => parser.options.record_delimiter[0])
  const skipped: UnreadableRecord[] = []
  const options: Options<RawRecord, string[]> = {
    ...CSV_PARSE_OPTIONS,
    ...(scanner.delimiter ? { record_delimiter: scanner.delimiter } : {}),
    on_record: (fields, info) => ({ fields, line: positions.read(info.bytes, info.lines) }),
    on_skip: (error) => {
      skipped.push(error ? positions.skipped(error) : { position: 0, error: 'malformed CSV', excerpt: '' })
      return undefined
    },
  }
  // parse()'s types let on_record change what is yielded only with `columns`.
  const parser = parse(options as unknown as Options)
  async function* rest(): AsyncGenerator<Buffer> {
    yield fed.add(first)
    if (carry.length) yield fed.add(carry)
    for (;;) {
      const next = await chunks.next()
      if (next.done) return
      yield fed.add(typeof next.value === 'string' ? Buffer.from(next.value) : next.value)
    }
  }
  const source = Readable.from(rest(), { objectMode: false })
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  // A skipped record is reported before the record read after it.
  for await (const record of parser as AsyncIterable<RawRecord>) {
    while (skipped.length) yield skipped.shift()!
    yield record
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

/**
 * A CSV record: its fields, and the record keyed by the header, built only when asked for. The
 * pipeline reads the fields by column (formats/portal-csv.ts) and stores the text, so the object
 * of 55 keys per row (and its JSON) is never built on the import's hot path.
 */
export class CsvRecord implements PositionedRecord {
  private keyed: SourceRecord | null = null

  constructor(
    readonly fields: readonly string[],
    readonly headers: readonly string[],
    readonly position: number,
    /** The record as the file wrote it, without its line break; null when it spans lines or csv-parse read it. */
    readonly text: string | null,
  ) {}

  get record(): SourceRecord {
    if (this.keyed === null) {
      const row: Record<string, string> = {}
      for (let i = 0; i < this.headers.length; i++) row[this.headers[i]] = this.fields[i]
      this.keyed = row
    }
    return this.keyed
  }
}

/**
 * Records longer than the limit are dropped before parsing (record-guard.ts); a record with a
 * cell longer than the limit is rejected naming the column; a header with more columns than the
 * limit, or longer than the record limit, ends the file (nothing can be keyed by it).
 */
export async function* readCsv(content: Readable, onHeader: (headers: string[]) => void, limits: IngestLimits = ingestLimits()): AsyncGenerator<ReadItem> {
  const guarded = guardRecords(content, limits, {
    quotes: true,
    firstRecord: (line, bytes) => {
      throw new InputLimitError(`the CSV header (line ${line}) is longer than ${limits.maxRecordBytes} bytes (${bytes}; limit ET_INGEST_MAX_RECORD_BYTES)`)
    },
  })
  const tooLong = guarded.rejections
  // csv-parse reports each fault of a broken record (an invalid quote, then the quote left open
  // at the end): the record is one rejected row, with its first fault.
  const broken = new Set<number>()
  let headers: string[] | null = null
  for await (const item of rawRecords(Readable.from(guarded.bytes, { objectMode: false }))) {
    const position = 'error' in item ? item.position : item.line
    while (tooLong.length && tooLong[0].position < position) yield tooLong.shift()!
    if ('error' in item) {
      if (broken.has(item.position)) continue
      if (broken.size >= 10_000) broken.clear()
      broken.add(item.position)
      yield item
      continue
    }
    const record = item.fields
    const startLine = item.line
    if (!headers) {
      if (record.length > limits.maxColumns) {
        throw new InputLimitError(`the CSV header has ${record.length} columns; the limit is ${limits.maxColumns} (ET_INGEST_MAX_COLUMNS)`)
      }
      headers = uniqueHeaders(record)
      onHeader(headers)
      continue
    }
    if (record.length !== headers.length) {
      yield {
        position: startLine,
        error: `expected ${headers.length} fields as in the header, found ${record.length}`,
        excerpt: excerpt(record),
      }
      continue
    }
    const long = record.findIndex((field) => field.length > limits.maxFieldChars)
    if (long !== -1) {
      yield {
        position: startLine,
        error: `the "${headers[long]}" field is ${record[long].length} characters; the limit is ${limits.maxFieldChars} (ET_INGEST_MAX_FIELD_CHARS)`,
        excerpt: excerpt(record.map((field) => field.slice(0, 100))),
      }
      continue
    }
    yield new CsvRecord(record, headers, startLine, item.text ?? null)
  }
  yield* tooLong
  if (!headers) onHeader([])
}

/** The row as its fields joined, cut at 300 characters (without joining a million columns first). */
function excerpt(fields: readonly string[]): string {
  let text = ''
  for (let i = 0; i < fields.length && text.length < 300; i++) text += (i ? ',' : '') + fields[i]
  return text.slice(0, 300)
}
