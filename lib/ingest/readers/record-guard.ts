import type { IngestLimits } from '../ingest-limits'
import { recordTooLong } from '../ingest-limits'
import type { UnreadableRecord } from './read-item'

/**
 * Sits between the bytes of a text input and its reader (CSV, JSON Lines) and drops every record
 * longer than `maxRecordBytes` without ever holding more than that: the reader sees blank lines
 * in its place (as many as it had, so the lines after it keep their numbers) and the record is
 * reported in `rejections` by the line it starts on. The reader merges them into its output.
 *
 * A record ends at a line break (CRLF, lone CR or lone LF); with `quotes` (CSV), only at one
 * outside a quoted cell, with csv-parse's rules: a quote opens a cell only at the cell's start,
 * `""` inside is a quote, and a quote closes the cell only before a comma, a line break or the
 * end. Whole records pass through as slices of the chunks they arrived in, unchanged.
 */

const QUOTE = 0x22
const COMMA = 0x2c
const CR = 0x0d
const LF = 0x0a

export interface GuardedInput {
  bytes: AsyncGenerator<Buffer>
  /** Records dropped so far, in line order (filled as the bytes are pulled). */
  rejections: UnreadableRecord[]
}

export interface GuardOptions {
  quotes: boolean
  /** Called (and expected to throw) when the first record is too long: a CSV header. */
  firstRecord?: (line: number, bytes: number) => never
}

export function guardRecords(source: AsyncIterable<Buffer | string>, limits: IngestLimits, options: GuardOptions): GuardedInput {
  const rejections: UnreadableRecord[] = []
  const max = limits.maxRecordBytes
  const quotes = options.quotes

  async function* guarded(): AsyncGenerator<Buffer> {
    /** The start of the current record, from earlier chunks. */
    let held: Buffer[] = []
    let heldBytes = 0
    /** Set once the current record is over the limit: its bytes are counted, not kept. */
    let skipping = false
    let skippedBytes = 0
    let inQuotes = false
    /** Line the current record starts on, and the line breaks inside it. */
    let line = 1
    let breaks = 0
    let records = 0
    /** What the previous chunk ended with, for what spans two chunks. */
    let pendingCr = false
    let pendingQuote = false
    let previousByte = -1
    /** The file's line break, from the first record that ended. */
    let delimiter: Buffer | null = null

    const dropped = (terminator: Buffer): Buffer => {
      records++
      const size = skipping ? skippedBytes : heldBytes
      if (records === 1 && options.firstRecord) options.firstRecord(line, size)
      rejections.push({ position: line, error: recordTooLong(size, limits, quotes ? 'CSV record' : 'line'), excerpt: '' })
      // Blank lines where the record was: the reader skips them and counts them. The record's
      // own line break goes as it was (a CR ending a chunk has its LF at the next one's start).
      const blank = delimiter ?? (terminator.length ? terminator : Buffer.from('\n'))
      return Buffer.concat([...Array.from({ length: breaks }, () => blank), terminator])
    }

    for await (const piece of source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
      if (chunk.length === 0) continue
      const out: Buffer[] = []
      let i = 0
      let recordStart = 0
      /** Start of the bytes of this chunk to pass on when the next record ends or is dropped. */
      let passFrom = 0
      if (pendingCr) {
        pendingCr = false
        if (chunk[0] === LF) {
          // The second half of a CRLF: it belongs with the CR, before or inside a record.
          if (!inQuotes) {
            delimiter ??= Buffer.from('\r\n')
            recordStart = 1
          }
          i = 1
        } else if (!inQuotes) {
          delimiter ??= Buffer.from('\r')
        }
      }
      if (pendingQuote) {
        pendingQuote = false
        if (chunk[0] === QUOTE) i = Math.max(i, 1) // "" across the chunks: a quote, still inside
        else if (chunk[0] === COMMA || chunk[0] === CR || chunk[0] === LF) inQuotes = false
      }
      // The next LF and CR at or after i, each searched again only once passed (JSON Lines).
      let lf = -2
      let cr = -2
      const length = chunk.length
      while (i < length) {
        let next = -1
        if (quotes) {
          next = nextSpecial(chunk, i)
        } else {
          if (lf !== -1 && lf < i) lf = chunk.indexOf(LF, i)
          if (cr !== -1 && cr < i) cr = chunk.indexOf(CR, i)
          next = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf
        }
        if (next === -1) break
        if (chunk[next] === QUOTE) {
          i = next + 1
          if (!inQuotes) {
            const before = next > 0 ? chunk[next - 1] : previousByte
            if (before === -1 || before === COMMA || before === CR || before === LF) inQuotes = true
          } else if (next + 1 >= chunk.length) {
            pendingQuote = true
          } else {
            const after = chunk[next + 1]
            if (after === QUOTE) i = next + 2
            else if (after === COMMA || after === CR || after === LF) inQuotes = false
          }
          continue
        }
        // A line break; a CRLF is one.
        let end = next + 1
        if (chunk[next] === CR) {
          if (end < chunk.length) {
            if (chunk[end] === LF) end++
          } else {
            pendingCr = true
          }
        }
        i = end
        if (inQuotes) {
          breaks++
          continue
        }
        if (delimiter === null && !pendingCr) delimiter = Buffer.from(chunk.subarray(next, end))
        const size = (skipping ? skippedBytes : heldBytes) + (next - recordStart)
        if (skipping || size > max) {
          skippedBytes = size
          skipping = true
          if (passFrom < recordStart) out.push(chunk.subarray(passFrom, recordStart))
          out.push(dropped(chunk.subarray(next, end)))
          passFrom = end
        } else {
          // Passes on with the whole records around it, in one slice.
          if (held.length) out.push(...held)
          records++
        }
        held = []
        heldBytes = 0
        skipping = false
        skippedBytes = 0
        line += breaks + 1
        breaks = 0
        recordStart = end
      }
      previousByte = chunk[chunk.length - 1]
      if (passFrom < recordStart) out.push(chunk.subarray(passFrom, recordStart))
      if (out.length) yield out.length === 1 ? out[0] : Buffer.concat(out)
      const tail = chunk.subarray(recordStart)
      if (skipping) {
        skippedBytes += tail.length
      } else if (heldBytes + tail.length > max) {
        skipping = true
        skippedBytes = heldBytes + tail.length
        held = []
        heldBytes = 0
      } else if (tail.length) {
        held.push(tail)
        heldBytes += tail.length
      }
    }
    if (skipping) {
      const blanks = dropped(Buffer.alloc(0))
      if (blanks.length) yield blanks
    } else if (held.length) {
      yield Buffer.concat(held)
    }
  }
  return { bytes: guarded(), rejections }
}

/**
 * The next quote, CR or LF from `from`, or -1. Quotes are frequent in CSV (every cell of a portal
 * export): a byte loop (in a plain function, which V8 optimises) beats a native search per quote.
 */
function nextSpecial(chunk: Uint8Array, from: number): number {
  for (let j = from; j < chunk.length; j++) {
    const c = chunk[j]
    if (c === QUOTE || c === LF || c === CR) return j
  }
  return -1
}
