import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { type CsvError, type Options, parse } from 'csv-parse'
import { parse as parseSync } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { readCsv, uniqueHeaders } from '@/lib/ingest/readers/csv'
import { formatSamplesDir, realExportPath } from '../helpers/paths'

// The CSV reader's fast scanner (CsvScanner in lib/ingest/readers/csv.ts) must read every input
// exactly as csv-parse reads it: same records, same errors, whatever the chunking. The oracle
// below reads with csv-parse alone. Its positions do not come from csv-parse's info.lines, which
// counts both bytes of a CRLF inside a quoted cell and gives where a record ends: it takes where
// each field ends from csv-parse (a `cast` callback sees every field, of broken records too),
// so where each record starts, and counts the lines before that offset in the input itself.
//
// It needs no database; it sits with the integration suites because its random inputs take tens
// of seconds, and `npx vitest run tests/unit` stays quick.

const CR = 13
const LF = 10

/** The line of each byte offset: a CRLF, a lone CR and a lone LF are one line break each (an LF after a CR is on the CR's line). */
function lineIndex(bytes: Buffer): (offset: number) => number {
  const breaksBefore = new Int32Array(bytes.length + 1)
  let breaks = 0
  for (let i = 0; i < bytes.length; i++) {
    breaksBefore[i] = breaks
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) breaks++
  }
  breaksBefore[bytes.length] = breaks
  return (offset) => 1 + breaksBefore[offset]
}

const OPTIONS = { relax_column_count: true, skip_records_with_error: true, skip_empty_lines: true, relax_quotes: false } as const

/**
 * The line csv-parse found a fault on, for the `nth` fault of the record starting at `start`:
 * read from that record's start alone, csv-parse's line count (which counts every CR and LF
 * byte inside a record) says how many CR and LF bytes precede the fault.
 */
function faultLine(bytes: Buffer, lineOf: (offset: number) => number, start: number, nth: number, delimiter: Buffer | undefined): number {
  const faults: CsvError[] = []
  parseSync(bytes.subarray(start), { ...OPTIONS, ...(delimiter ? { record_delimiter: delimiter } : {}), on_skip: (error) => void (error && faults.push(error)) })
  const count = Number(faults[nth].lines) - 1
  let last = -1
  for (let seen = 0, i = start; seen < count; i++) if (bytes[i] === CR || bytes[i] === LF) (seen++, (last = i))
  return last === -1 ? lineOf(start) : lineOf(last + 1)
}

async function csvParseOnly(bytes: Buffer): Promise<string[]> {
  const lineOf = lineIndex(bytes)
  const delimiter = () => parser.options.record_delimiter[0] as Buffer | undefined
  const afterBlankLines = (offset: number) => {
    const d = delimiter()
    while (d && offset + d.length <= bytes.length && bytes.subarray(offset, offset + d.length).equals(d)) offset += d.length
    return offset
  }
  // Where the last field csv-parse read ended, and where the record being read starts.
  let fieldEnd = -1
  let recordStart = 0
  let faultsInRecord = 0
  const startOfNextRecord = () => afterBlankLines(fieldEnd === -1 ? 0 : fieldEnd + (delimiter()?.length ?? 0))
  const skipped: string[] = []
  let faultRecord = -1
  const options: Options<{ record: string[]; start: number }, string[]> = {
    ...OPTIONS,
    cast: (value, context) => {
      if (context.index === 0) recordStart = startOfNextRecord()
      fieldEnd = context.bytes
      return value
    },
    on_record: (record) => ({ record, start: recordStart }),
    on_skip: (error) => {
      if (!error) return
      // No field of this record read yet: it starts after the last one read.
      const start = Number(error.column) === 0 ? startOfNextRecord() : recordStart
      faultsInRecord = start === faultRecord ? faultsInRecord + 1 : 0
      faultRecord = start
      const line = faultLine(bytes, lineOf, start, faultsInRecord, start > 0 ? delimiter() : undefined)
      skipped.push(`U${lineOf(start)}:malformed CSV: ${error.message.replace(`line ${error.lines}`, `line ${line}`)}|`)
    },
  }
  const parser = parse(options as unknown as Options)
  parser.end(bytes)
  let header: string[] | null = null
  const out: string[] = []
  for await (const { record, start } of parser as AsyncIterable<{ record: string[]; start: number }>) {
    out.push(...skipped.splice(0))
    const position = lineOf(start)
    if (!header) {
      header = uniqueHeaders(record)
      continue
    }
    if (record.length !== header.length) {
      out.push(`U${position}:expected ${header.length} fields as in the header, found ${record.length}|${record.join(',').slice(0, 300)}`)
      continue
    }
    const row: Record<string, string> = {}
    for (let i = 0; i < header.length; i++) row[header[i]] = record[i]
    out.push(`R${position}:${JSON.stringify(row)}`)
  }
  out.push(...skipped.splice(0))
  return [`H:${JSON.stringify(header ?? [])}`, ...out]
}

function stream(bytes: Buffer, chunkSize: number): Readable {
  const parts: Buffer[] = []
  for (let i = 0; i < bytes.length; i += chunkSize) parts.push(bytes.subarray(i, i + chunkSize))
  return Readable.from(parts, { objectMode: false })
}

async function read(bytes: Buffer, chunkSize: number): Promise<string[]> {
  let header: string[] | null = null
  const out: string[] = []
  for await (const item of readCsv(stream(bytes, Math.max(1, chunkSize)), (h) => (header = h))) {
    out.push('error' in item ? `U${item.position}:${item.error}|${item.excerpt}` : `R${item.position}:${JSON.stringify(item.record)}`)
  }
  return [`H:${JSON.stringify(header)}`, ...out]
}

// csv-parse reports a broken record through a callback, and the reader passes it on before
// whichever record it reads next: where a report lands among the records depends on buffering.
// So records (and field-count rejections) must match in order; broken-record reports as a set.
// A record with several faults is one rejected record, reported with its first fault.
function comparable(items: string[]) {
  const malformed = (item: string) => /^U\d+:malformed CSV:/.test(item)
  const seen = new Set<string>()
  const firstFaults = items.filter(malformed).filter((item) => {
    const position = item.slice(0, item.indexOf(':'))
    if (seen.has(position)) return false
    seen.add(position)
    return true
  })
  return { records: items.filter((i) => !malformed(i)), malformed: firstFaults.sort() }
}

async function expectSameReading(bytes: Buffer, chunkSizes: number[], label: string) {
  const expected = comparable(await csvParseOnly(bytes))
  for (const size of chunkSizes) {
    expect(comparable(await read(bytes, size)), `${label}, chunks of ${size}`).toEqual(expected)
  }
}

// A small seeded generator, so a failure names an input that can be replayed.
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .flatMap((p) => (statSync(p).isDirectory() ? filesUnder(p) : [p]))
}

describe('the CSV reader reads as csv-parse does, at the lines records start on', () => {
  it('the real export and the CSV format samples, in any chunking', async () => {
    const files = [realExportPath, ...filesUnder(formatSamplesDir).filter((f) => f.endsWith('.csv'))]
    for (const file of files) await expectSameReading(readFileSync(file), [1, 7, 4096, 65_536], path.basename(file))
  })

  it('hand-picked irregular inputs: stray and unclosed quotes, lone CR or LF, blank lines, no final newline', async () => {
    const cases = [
      'a,b\r\n1,2\r\n',
      'a,b\n1,2',
      'a,b\r\n1,2\r\n\r\n\r\n3,4\r\n',
      'a,b\r\n"x\r\ny",2\r\n3,4\r\n',
      'a,b\r\n1,2\n3,4\r\n5,6\r\n',
      'a,b\n1,2\r3,4\n',
      'a,b\r1,2\r3,4',
      'a,b\r1,2\r\n3,4\r5,6\r',
      'a,b\r\n"x\r\ny",2\r\n1,x"y\r\n\r\n2,"z\r\nw"q\r\n3,4\r\n',
      'a,b\r\n"x\r\ny",2\r\n"p\r\nq"r,"s\r\nt"u\r\n\r\n"v\r\nw",x"y\r\n3,4\r\n',
      'a,b\r\n1,x"y\r\n3,4\r\n',
      'a,b\r\n"1"x,2\r\n3,4\r\n',
      'a,b\r\n"unclosed,2\r\n3,4\r\n',
      'a,b\r\n1,2,\r\n3,\r\n',
      'a,b\r\n"",""\r\n"a""b","""q"""\r\n',
      '\r\n\r\na,b\r\n1,2\r\n',
      '"a\nb",c\n1,2\n',
      'a,"b"\r',
      'a,b\r\n1,"2"\r',
      'é,ü\r\n日本,"ü\r\n😀"\r\n',
      '',
      '\r\n',
      'only',
      'a,b\r\n1,2\r\n"',
      'a,b\r\n 1 , "2"\r\n',
    ]
    for (const text of cases) await expectSameReading(Buffer.from(text), [1, 2, 3, 5, 1000], JSON.stringify(text))
  })

  it('random inputs built of quotes, commas, CR, LF and multi-byte characters', async () => {
    const next = random(20_261_128)
    const pieces = ['a', 'b', ',', ',', '"', '""', '\r\n', '\r\n', '\n', '\r', 'é', '😀', ' ', '"x"', '"y\r\nz"']
    for (let n = 0; n < 300; n++) {
      let text = `h1,h2,h3${['\r\n', '\r\n', '\n', '\r'][Math.floor(next() * 4)]}`
      const length = Math.floor(next() * 40)
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)]
      await expectSameReading(Buffer.from(text), [1, 3, 16, 4096], `input ${n}: ${JSON.stringify(text)}`)
    }
  })

  it('random well-formed inputs (the scanner reads them to the end), with a broken record here and there', async () => {
    const next = random(1_128)
    const pick = <T,>(items: T[]) => items[Math.floor(next() * items.length)]
    const cells = ['', 'plain', 'é😀 x', '"quoted, with comma"', '"say ""hi"""', '"two\r\nlines"', '"lf\nonly"', '""', '"{""json"":[1,2]}"']
    for (let n = 0; n < 200; n++) {
      const newline = pick(['\r\n', '\n'])
      const columns = 1 + Math.floor(next() * 4)
      const lines: string[] = []
      const rows = 1 + Math.floor(next() * 12)
      for (let r = 0; r < rows; r++) {
        const width = next() < 0.9 ? columns : 1 + Math.floor(next() * 5)
        lines.push(next() < 0.05 ? '' : next() < 0.03 ? 'broken"quote' : Array.from({ length: width }, () => pick(cells)).join(','))
      }
      const text = lines.join(newline) + (next() < 0.8 ? newline : '')
      await expectSameReading(Buffer.from(text), [1, 5, 64, 4096], `input ${n}: ${JSON.stringify(text)}`)
    }
  })
})
