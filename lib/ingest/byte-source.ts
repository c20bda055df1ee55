import { createHash } from 'node:crypto'
import { Readable, pipeline } from 'node:stream'
import { createGunzip, type Gunzip } from 'node:zlib'

/**
 * The bytes of one input as the pipeline sees them: counted and hashed as they arrive, gunzipped
 * when the content (not the name) is gzip, BOM removed. Nothing here holds more than a chunk.
 */

export interface ByteStats {
  /** Bytes of the input as received (compressed size for .gz). */
  bytesRead: number
  /** Bytes after decompression. */
  bytesDecoded: number
  sha256(): string
}

export class InputTooLargeError extends Error {}

// Small files can legitimately compress very well (repetitive logs); judge the ratio only after
// this much output. Small enough that a bomb is refused within a second of CPU.
const EXPANSION_GRACE_BYTES = 16 * 1024 * 1024

async function* counted(source: AsyncIterable<Buffer | string>, onChunk: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
    onChunk(chunk)
    yield chunk
  }
}

/** Reads at least `size` bytes (or all there is) and gives them back with a stream that replays them. */
export async function peek(source: AsyncIterable<Buffer>, size: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]()
  const buffered: Buffer[] = []
  let length = 0
  let finished = false
  while (length < size) {
    const next = await iterator.next()
    if (next.done) {
      finished = true
      break
    }
    buffered.push(next.value)
    length += next.value.length
  }
  async function* rest(): AsyncGenerator<Buffer> {
    yield* buffered
    if (finished) return
    for (;;) {
      const next = await iterator.next()
      if (next.done) return
      yield next.value
    }
  }
  return { head: Buffer.concat(buffered).subarray(0, Math.max(size, 0)), rest: rest() }
}

function gunzipped(compressed: AsyncIterable<Buffer>): Gunzip {
  const gunzip = createGunzip()
  // The error reaches the reader through the destroyed gunzip stream; nothing to do here.
  pipeline(Readable.from(compressed, { highWaterMark: 1 }), gunzip, () => {})
  return gunzip
}

const GZIP_MAGIC = [0x1f, 0x8b]
const UTF8_BOM = [0xef, 0xbb, 0xbf]

export interface DecodedInput {
  stats: ByteStats
  /** The first bytes of the decoded content, BOM removed, for format sniffing. */
  head: Buffer
  /** The decoded content from the start, BOM removed. */
  content: Readable
  gzip: boolean
}

export interface DecodeOptions {
  /** Refuse content that decompresses beyond this (a decompression bomb). */
  maxDecodedBytes?: number
  /** Refuse gzip content that expands more than this many times (after its first 16 MiB), as it streams. */
  maxExpansionRatio?: number
  sniffBytes?: number
}

export async function decodeInput(source: AsyncIterable<Buffer | string>, options: DecodeOptions = {}): Promise<DecodedInput> {
  const hash = createHash('sha256')
  const stats = { bytesRead: 0, bytesDecoded: 0, sha256: () => digest }
  let digest = ''
  const raw = counted(source, (chunk) => {
    stats.bytesRead += chunk.length
    hash.update(chunk)
  })
  async function* finishHash(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    yield* input
    digest = hash.digest('hex')
  }

  const magic = await peek(finishHash(raw), 2)
  const gzip = magic.head.length >= 2 && magic.head[0] === GZIP_MAGIC[0] && magic.head[1] === GZIP_MAGIC[1]
  // pipeline(), not pipe(): pipe() does not forward a source error to the gunzip stream, which then
  // never ends, and the error surfaces as an unhandled 'error' event that kills the process.
  const gunzip = gzip ? gunzipped(magic.rest) : null
  const decompressed: AsyncIterable<Buffer> = gunzip ?? magic.rest

  const limit = options.maxDecodedBytes ?? Number.POSITIVE_INFINITY
  const decoded = counted(decompressed, (chunk) => {
    stats.bytesDecoded += chunk.length
    if (stats.bytesDecoded > limit) {
      throw new InputTooLargeError(`content exceeds the limit of ${limit} bytes${gzip ? ' after decompression' : ''}`)
    }
    // Judged against the compressed bytes gunzip has consumed, not those read from the source:
    // reading runs ahead (a whole 10 MB file was read at once), and a bomb of newlines then got
    // 200 × 10 MB of output through the readers — minutes of CPU — before it was refused.
    const ratio = options.maxExpansionRatio
    const consumed = gunzip ? gunzip.bytesWritten : stats.bytesRead
    if (gzip && ratio && stats.bytesDecoded > EXPANSION_GRACE_BYTES && stats.bytesDecoded > ratio * consumed) {
      throw new InputTooLargeError(`refused as a decompression bomb: the content expands more than ${ratio} times (${consumed} compressed bytes gave ${stats.bytesDecoded})`)
    }
  })

  const sniff = await peek(decoded, (options.sniffBytes ?? 256 * 1024) + UTF8_BOM.length)
  const hasBom = UTF8_BOM.every((byte, i) => sniff.head[i] === byte)
  async function* withoutBom(): AsyncGenerator<Buffer> {
    let toSkip = hasBom ? UTF8_BOM.length : 0
    for await (const chunk of sniff.rest) {
      if (toSkip === 0) {
        yield chunk
        continue
      }
      const skipped = Math.min(toSkip, chunk.length)
      toSkip -= skipped
      if (chunk.length > skipped) yield chunk.subarray(skipped)
    }
  }
  return {
    stats,
    head: hasBom ? sniff.head.subarray(UTF8_BOM.length) : sniff.head,
    content: Readable.from(withoutBom(), { objectMode: false }),
    gzip,
  }
}
