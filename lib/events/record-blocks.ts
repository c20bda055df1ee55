import { promisify } from 'node:util'
import { brotliCompress, brotliDecompressSync, constants, gunzipSync } from 'node:zlib'
import { parse as parseCsv } from 'csv-parse/sync'

/**
 * How original records are stored (sign_in_record_blocks): the records of consecutive events of
 * one import, one a line, compressed together (brotli). Records repeat most of their values from
 * one event to the next, so a block compresses ~10× where one record alone (or TOAST's pglz) gets
 * ~2×, and the hot table keeps only (block id, line).
 *
 * Two encodings are written:
 * - `br`: each line is the record as JSON text (JSON formats: the record as the source sent it);
 * - `csv-br` (CSV files): the first line is the header (a JSON array of the reader's column
 *   names), then each line is the record as the file wrote it, `c` + its CSV text, or `j` + its
 *   fields as a JSON array when its text spans lines (a quoted line break) or is not at hand.
 *   Storing the file's own text spares the import building and compressing 2 KB of JSON per
 *   row (most of it the 55 column names, again and again): ~0.9 KB of text instead, compressed
 *   ~2.5× faster. Reading a record rebuilds the same JSON the reader's keyed record gives.
 */

/**
 * Records per block. Reading one record decompresses its block (~0.5 MB, about a millisecond);
 * 1,000 a block compressed only 3 % better.
 */
export const RECORDS_PER_BLOCK = 250

/** Block numbers of one import: id = import job id × 2^20 + number (lib/ingest/pipeline.ts). */
export const BLOCKS_PER_IMPORT = 2 ** 20

export function recordBlockId(importJobId: number, blockNo: number): number {
  if (blockNo >= BLOCKS_PER_IMPORT) throw new Error(`one import can hold at most ${BLOCKS_PER_IMPORT * RECORDS_PER_BLOCK} events`)
  // < 2^51 for any job id below 2^31: exact as a JS number.
  return importJobId * BLOCKS_PER_IMPORT + blockNo
}

const brotliAsync = promisify(brotliCompress)

/** Blocks of JSON records (sign_in_record_blocks.encoding). */
export const JSON_BLOCK_ENCODING = 'br'
/** Blocks of CSV records under their header. */
export const CSV_BLOCK_ENCODING = 'csv-br'

/** What a csv-br block's text starts with: the column names its records are keyed by. */
export function csvBlockHead(headers: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify(headers) + '\n')
}

/** A CSV record's line in a csv-br block (without its line break): see above. */
export function csvRecordLine(fields: readonly string[], text: string | null): string {
  return text !== null ? 'c' + text : 'j' + JSON.stringify(fields)
}

// As lib/ingest/readers/csv.ts reads (a stored `c` line is one record, without line breaks).
const CSV_OPTIONS = { relax_column_count: true, relax_quotes: false } as const

function csvRecordJson(headers: readonly string[], line: string): string {
  if (line === '') return ''
  const fields: string[] = line[0] === 'c' ? (parseCsv(line.slice(1), CSV_OPTIONS) as string[][])[0] : (JSON.parse(line.slice(1)) as string[])
  const row: Record<string, string> = {}
  for (let i = 0; i < headers.length; i++) row[headers[i]] = fields[i]
  return JSON.stringify(row)
}

/**
 * One block's bytes, from its lines (UTF-8, each ending in a line break; JSON text never holds a
 * raw one). Lines of events that are not stored (duplicates) are empty, so every stored event's
 * line number stays its place in the batch. Compression runs on libuv's thread pool: the
 * import's main thread goes on parsing meanwhile.
 *
 * Brotli at quality 1, measured on the bench's portal records (2.0 KB of JSON
 * each): 190 bytes an event at ~110 MB/s, where gzip took 240 bytes at level 1 and 195 at level 6,
 * at a third of the speed or less. Higher brotli qualities gain 5–15 % for 2–10× the CPU, which
 * the import needs for parsing. A 512 KB window holds a whole block (~0.5 MB): the 4 MB one
 * compressed no better and kept more memory on each thread-pool thread.
 */
export function encodeBlock(text: Buffer): Promise<Buffer> {
  return brotliAsync(text, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 19, [constants.BROTLI_PARAM_SIZE_HINT]: text.length },
  })
}

/** The records of a block as JSON text, by line ('' for a line left empty). */
export function decodeBlock(encoding: string, bytes: Uint8Array): string[] {
  if (encoding === 'identity') return [Buffer.from(bytes).toString('utf8')]
  if (encoding === 'br') return brotliDecompressSync(bytes).toString('utf8').split('\n')
  if (encoding === 'csv-br') {
    const [head, ...lines] = brotliDecompressSync(bytes).toString('utf8').split('\n')
    const headers = JSON.parse(head) as string[]
    return lines.map((line) => csvRecordJson(headers, line))
  }
  if (encoding === 'gzip') return gunzipSync(bytes).toString('utf8').split('\n')
  throw new Error(`unknown record block encoding ${JSON.stringify(encoding)}`)
}
