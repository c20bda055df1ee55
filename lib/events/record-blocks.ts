import { promisify } from 'node:util'
import { brotliCompress, brotliDecompressSync, constants, gunzipSync } from 'node:zlib'

/**
 * How original records are stored (sign_in_record_blocks): the records of consecutive events of
 * one import, one line of JSON each, compressed together (brotli). A record is ~2 KB of JSON whose
 * keys and most values repeat from one event to the next, so a block compresses ~10× where one
 * record alone (or TOAST's pglz) gets ~2×, and the hot table keeps only (block id, line).
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

/** How blocks written now are compressed (sign_in_record_blocks.encoding). */
export const BLOCK_ENCODING = 'br'

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

/** The records of a block, by line. */
export function decodeBlock(encoding: string, bytes: Uint8Array): string[] {
  if (encoding === 'identity') return [Buffer.from(bytes).toString('utf8')]
  if (encoding === 'br') return brotliDecompressSync(bytes).toString('utf8').split('\n')
  if (encoding === 'gzip') return gunzipSync(bytes).toString('utf8').split('\n')
  throw new Error(`unknown record block encoding ${JSON.stringify(encoding)}`)
}
