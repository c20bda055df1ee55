import { userAgentKey, type UserAgentSalt } from '@/lib/events/user-agents'
import type { NormalisedEvent } from './types'

/**
 * The COPY data the pipeline sends. Events go straight into sign_in_events (text format); the
 * original records go, compressed in blocks, into sign_in_record_blocks (binary format: the
 * blocks are bytes). The hourly rollup is grouped in Node (./hourly-rollup.ts) and staged for
 * sql/merge-rollup.sql.
 *
 * An event holds its user agent's key (lib/events/user-agents.ts), not the text: whoever writes
 * events also adds their user agents to the dataset's dictionary (storeUserAgents), in the same
 * transaction. The key is md5 of the database's secret salt and the text (a precomputed
 * collision could otherwise have an attacker's own sign-ins refused), so a line can only be
 * built with the salt of the database it goes to (readUserAgentSalt), which never leaves the
 * database and the importing process. The source format is the record blocks'
 * (recordBlocksCopy), not the events'. A source id that is a lower-case GUID goes in
 * source_event_uuid, any other in source_event_id (docs/database.md "Event storage").
 */

/** The columns of copyLine(), in order: an event as the file gave it, normalised. */
export const STAGING_COLUMNS = [
  'source_event_id',
  'source_event_uuid',
  'created_at',
  'user_principal_name',
  'ip_address',
  'client_app_used',
  'user_agent_id',
  'app_display_name',
  'app_id',
  'error_code',
  'failure_reason',
  'location_city',
  'location_state',
  'location_country',
  'autonomous_system',
  'is_interactive',
] as const

/** sign_in_events columns of a line: the import's constants (eventLinePrefix), then copyLine(). */
export const EVENT_COLUMNS = ['dataset_id', 'import_job_id', ...STAGING_COLUMNS, 'event_key', 'record_block', 'record_index'] as const

const NEEDS_ESCAPE = /[\\\t\n\r]/

const UUID = /^([0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|\{[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\})$/i

/**
 * A GUID as uuid::text writes it: stored as a uuid (16 bytes, not 37), and given back as the same
 * text by coalesce(source_event_uuid::text, source_event_id). Any other form stays text.
 */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** sign_in_events.app_id is a uuid (Entra application ids are GUIDs); anything else stays in the original record only. */
function uuidOrNull(value: string | null): string | null {
  return value !== null && UUID.test(value) ? value : null
}

// COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
function field(value: string | null): string {
  if (value === null) return '\\N'
  if (!NEEDS_ESCAPE.test(value)) return value
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}

/**
 * One event as a line of PostgreSQL COPY text format, in STAGING_COLUMNS order, then its key and
 * where its original record is stored; `salt` is the target database's (user agent keys).
 */
export function copyLine(event: NormalisedEvent, salt: UserAgentSalt, key: string, recordBlock: number, recordIndex: number): string {
  return (
    (CANONICAL_UUID.test(event.sourceEventId) ? '\\N\t' + event.sourceEventId : field(event.sourceEventId) + '\t\\N') + '\t' +
    new Date(event.createdAt).toISOString() + '\t' +
    field(event.userPrincipalName) + '\t' +
    field(event.ipAddress) + '\t' +
    field(event.clientAppUsed) + '\t' +
    userAgentKey(salt, event.userAgent) + '\t' +
    field(event.appDisplayName) + '\t' +
    field(uuidOrNull(event.appId)) + '\t' +
    field(event.errorCode) + '\t' +
    field(event.failureReason) + '\t' +
    field(event.locationCity) + '\t' +
    field(event.locationState) + '\t' +
    field(event.locationCountry) + '\t' +
    (event.autonomousSystem === null ? '\\N' : String(event.autonomousSystem)) + '\t' +
    (event.isInteractive === null ? '\\N' : event.isInteractive ? 't' : 'f') + '\t' +
    key + '\t' + recordBlock + '\t' + recordIndex + '\n'
  )
}

/** What every line of one import starts with (EVENT_COLUMNS before STAGING_COLUMNS). */
export function eventLinePrefix(datasetId: number, importJobId: number): string {
  return `${datasetId}\t${importJobId}\t`
}

const CHUNK_BYTES = 1 << 20

/**
 * The chunks of an import's COPY text, handed from one batch to the next. Allocated afresh for
 * every batch, they were garbage the moment their COPY ended, and V8 frees Buffers only at a
 * collection, which external memory triggers after some 64 MB of them: a fifth of the import's
 * peak RSS was dead COPY text.
 */
export class ChunkPool {
  private readonly free: Buffer[] = []

  take(size: number): Buffer {
    if (size > CHUNK_BYTES) return Buffer.allocUnsafe(size)
    return this.free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)
  }

  give(buffers: readonly Buffer[]): void {
    for (const buffer of buffers) if (buffer.length === CHUNK_BYTES && this.free.length < MAX_POOLED_CHUNKS) this.free.push(buffer)
  }
}

// Up to three batches live (lib/ingest/pipeline.ts), each with its events' and records' text (~3 MB
// at 2,500 portal rows).
const MAX_POOLED_CHUNKS = 24

/**
 * A batch's COPY text, encoded as its lines arrive (into a few large buffers, with where each
 * line is), so that the flush sends bytes at once and the line strings die young instead of
 * living on in the heap until their batch is loaded.
 */
export class CopyText {
  private readonly chunks: Buffer[] = []
  /** The buffers this text wrote into, whole, to go back to the pool. */
  private readonly owned: Buffer[] = []
  private current: Buffer = Buffer.alloc(0)
  private used = 0
  // Without a pool, buffers grow from 64 KB to CHUNK_BYTES: a small import does not allocate megabytes.
  private nextSize = 64 << 10
  /** Per line: chunk index, start and end byte. */
  private readonly where: number[] = []

  constructor(private readonly pool: ChunkPool | null = null) {}

  get lines(): number {
    return this.where.length / 3
  }

  add(line: string): void {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    if (this.used + line.length * 3 > this.current.length) {
      this.seal()
      if (this.pool) {
        this.current = this.pool.take(line.length * 3)
        this.owned.push(this.current)
      } else {
        this.current = Buffer.allocUnsafe(Math.max(this.nextSize, line.length * 3))
        this.nextSize = Math.min(CHUNK_BYTES, this.nextSize * 2)
      }
    }
    const start = this.used
    this.used += this.current.write(line, start)
    this.where.push(this.chunks.length, start, this.used)
  }

  private seal(): void {
    if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used))
    this.used = 0
  }

  /**
   * Lines from..to-1 as one buffer (a copy, after `head` when given); with `kept`, a line whose
   * flag is 0 is left out but for its line break, so every line keeps its number.
   */
  slice(from: number, to: number, kept?: Uint8Array | null, head?: Buffer | null): Buffer {
    this.seal()
    const parts: Buffer[] = head ? [head] : []
    const newline = Buffer.from('\n')
    for (let i = from; i < to; i++) {
      parts.push(kept && !kept[i] ? newline : this.chunks[this.where[i * 3]].subarray(this.where[i * 3 + 1], this.where[i * 3 + 2]))
    }
    return Buffer.concat(parts)
  }

  /** The bytes of all lines, or of the chosen lines (indices in order), in pieces of about CHUNK_BYTES. */
  *pieces(only?: readonly number[]): Generator<Buffer> {
    this.seal()
    this.current = Buffer.alloc(0)
    if (!only) {
      yield* this.chunks
      return
    }
    let group: Buffer[] = []
    let size = 0
    for (const i of only) {
      const line = this.chunks[this.where[i * 3]].subarray(this.where[i * 3 + 1], this.where[i * 3 + 2])
      group.push(line)
      size += line.length
      if (size >= CHUNK_BYTES) {
        yield Buffer.concat(group, size)
        group = []
        size = 0
      }
    }
    if (size) yield Buffer.concat(group, size)
  }

  /**
   * Gives the buffers back to the pool: only once nothing reads them any more (the batch's COPY
   * has ended: PostgreSQL has acknowledged every byte), and the text is not used after.
   */
  release(): void {
    this.pool?.give(this.owned)
    this.owned.length = 0
    this.chunks.length = 0
    this.where.length = 0
    this.current = Buffer.alloc(0)
    this.used = 0
  }
}

/** sign_in_record_blocks columns, as recordBlocksCopy() writes them. */
export const RECORD_BLOCK_COLUMNS = ['dataset_id', 'block_id', 'encoding', 'records', 'source_format'] as const

const BINARY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')

/**
 * Record blocks as COPY binary format: the bytes go as they are, where text format would send
 * each block as hex (twice its size) for the server to decode.
 */
export function recordBlocksCopy(datasetId: number, blockEncoding: string, sourceFormat: string, blocks: readonly { id: number; bytes: Buffer }[]): Buffer[] {
  const head = Buffer.alloc(BINARY_SIGNATURE.length + 8)
  BINARY_SIGNATURE.copy(head)
  const pieces: Buffer[] = [head]
  const encoding = Buffer.from(blockEncoding)
  const format = Buffer.from(sourceFormat)
  for (const block of blocks) {
    const tuple = Buffer.alloc(2 + 4 + 4 + 4 + 8 + 4 + encoding.length + 4)
    let at = tuple.writeInt16BE(5, 0)
    at = tuple.writeInt32BE(4, at)
    at = tuple.writeInt32BE(datasetId, at)
    at = tuple.writeInt32BE(8, at)
    at = tuple.writeBigInt64BE(BigInt(block.id), at)
    at = tuple.writeInt32BE(encoding.length, at)
    at += encoding.copy(tuple, at)
    tuple.writeInt32BE(block.bytes.length, at)
    const tail = Buffer.alloc(4 + format.length)
    format.copy(tail, tail.writeInt32BE(format.length, 0))
    pieces.push(tuple, block.bytes, tail)
  }
  const trailer = Buffer.alloc(2)
  trailer.writeInt16BE(-1)
  pieces.push(trailer)
  return pieces
}
