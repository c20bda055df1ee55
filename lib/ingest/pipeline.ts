import type { PoolClient } from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { lockDataset } from '@/lib/datasets/dataset-lock'
import { auditImport } from '@/lib/datasets/import-audit'
import { isDatabaseUnavailable } from '@/lib/db/database-errors'
import { getPool } from '@/lib/db/database'
import { markAppended } from '@/lib/derive/derived-state'
import { sqlFile } from '@/lib/sql-file'
import { decodeInput, InputTooLargeError } from './byte-source'
import { CSV_BLOCK_ENCODING, csvBlockHead, csvRecordLine, encodeBlock, JSON_BLOCK_ENCODING, RECORDS_PER_BLOCK, recordBlockId } from '@/lib/events/record-blocks'
import { readUserAgentSalt, storeUserAgents, type UserAgentSalt } from '@/lib/events/user-agents'
import { ChunkPool, CopyText, copyLine, eventLinePrefix, EVENT_COLUMNS, RECORD_BLOCK_COLUMNS, recordBlocksCopy } from './copy-rows'
import { eventDay, eventKey, sameEvent } from './event-key'
import { HourlySummary, summaryFlags } from './hourly-summary'
import { FIRST_RIGHTS_STAGING_COLUMNS, FirstRights } from './first-rights'
import { HourlyRollup, ROLLUP_STAGING_COLUMNS, rollupCopyText } from './hourly-rollup'
import { excerptOf, excerptOfText } from './formats/build-event'
import { emptyReport, failImportJob, finishImportJob, openImportJob, ProgressWriter, type ImportOrigin, type ImportProgress, type ImportReport, type Rejection } from './import-job'
import { CONNECTION_LOST, failImportWhenReachable } from './import-interruption'
import { openSignInLog } from './open-log'
import { refreshStatisticsAfterImport } from './table-statistics'
import { CsvRecord } from './readers/csv'
import { isUnreadable } from './readers/read-item'
import { NotApplicableError, NotASignInLogError, type NormalisedEvent } from './types'

/**
 * stream → decode → sniff → parse → normalise → batch → de-duplicate → COPY → rollup, for one input.
 *
 * One import is one transaction: a file that dies half-way (crash, kill, bad content) leaves the
 * dataset exactly as it was before, and its job says why (./import-job.ts owns the job's life).
 * Imports into the same dataset take turns (advisory lock), so their rollup updates never
 * deadlock and a batch's duplicate check stays true until the batch is copied.
 *
 * An import stores events and the hourly rollup only, and marks the time range it appended; the
 * findings and everything else derived from the events are recomputed after it, once per CLI
 * call, upload batch or connector run (lib/derive/recompute.ts). A derived step can therefore
 * never fail an import.
 */

export type { ImportOrigin, ImportProgress, ImportReport, Rejection } from './import-job'

export interface IngestInput {
  datasetId: number
  fileName: string
  source: AsyncIterable<Buffer | string>
  origin?: ImportOrigin
  /** An existing queued job (the upload route creates it before the bytes arrive). */
  jobId?: number
  batchSize?: number
  maxRejectedStored?: number
  maxDecodedBytes?: number
  maxExpansionRatio?: number
  /** Who started it (uploads, connector runs started by hand). */
  startedById?: number | null
  onProgress?: (progress: ImportProgress) => void
}

// Up to three batches live at once (one parsed while the others wait or load: MAX_BATCHES_QUEUED),
// each with its events, their COPY text and their original records (~2 KB an event from a portal
// CSV, more from JSON). 20,000 took the import 230 MB past the process's own and loaded no
// faster; 2,500 kept the CLI's peak RSS under 300 MB where 5,000 reached 290-310 MB (2 portal
// files, 2026-12), for ~10 more small statements per 47,600 rows.
const DEFAULT_BATCH_SIZE = 2_500
// Batches parsed ahead of the one loading. With one, parsing stopped at every hour's rollup
// merge (~0.3 s of the server's, 16,000 portal rows) while the next batch waited. Two or three
// keep Node parsing through it (6 portal files, 2026-12-07: 25.9 s with one, 24.4-25.2 s with
// two, 24.6-24.9 s with three); each one more holds ~5 MB more, and the 21-file import's peak
// RSS rose from 251-262 MB to 281 MB with three, near the 300 MB it must stay under: two.
const MAX_BATCHES_QUEUED = 2
const DEFAULT_MAX_REJECTED_STORED = 10_000

/**
 * The events of one batch: their ids and keys, their COPY text, their original records, and what
 * of each the rollup and the hourly summary need.
 */
interface Batch {
  ids: string[]
  keys: string[]
  events: CopyText
  /**
   * Original records (one a line, lib/events/record-blocks.ts, encoded as they arrive so the
   * strings die young); event i is line i % RECORDS_PER_BLOCK of block firstBlock + i / RECORDS_PER_BLOCK.
   */
  records: CopyText
  firstBlock: number
  /** The events themselves, for the rollup (./hourly-rollup.ts). */
  normalised: NormalisedEvent[]
  /** Per event: time, error code and summaryFlags(), for the hourly summary. */
  times: number[]
  codes: (string | null)[]
  flags: number[]
  /** Per event: its record's position in the file (line or record number), for a refusal. */
  positions: number[]
}

const newBatch = (firstBlock: number, chunks: ChunkPool): Batch => ({
  ids: [],
  keys: [],
  events: new CopyText(chunks),
  records: new CopyText(chunks),
  firstBlock,
  normalised: [],
  times: [],
  codes: [],
  flags: [],
  positions: [],
})

/** Streams bytes into one COPY ... FROM STDIN. */
async function copyIn(client: PoolClient, command: string, pieces: Iterable<Buffer>): Promise<void> {
  const stream = client.query(copyFrom(command))
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve)
    stream.on('error', reject)
    // Pieces of megabytes: pg-copy-streams sends one piece per 'drain' of the socket, and drain
    // events wait for the event loop, busy parsing the next batch; small pieces left PostgreSQL
    // waiting for data.
    for (const piece of pieces) stream.write(piece)
    stream.end()
  })
}

const COPY_EVENTS = `COPY sign_in_events (${EVENT_COLUMNS.join(', ')}) FROM STDIN`
const COPY_ROLLUP = `COPY ingest_rollup_staging (${ROLLUP_STAGING_COLUMNS.join(', ')}) FROM STDIN`
const COPY_FIRST_RIGHTS = `COPY ingest_first_rights_staging (${FIRST_RIGHTS_STAGING_COLUMNS.join(', ')}) FROM STDIN`
const COPY_RECORD_BLOCKS = `COPY sign_in_record_blocks (${RECORD_BLOCK_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`

/** How an import's original records are stored: a block's encoding and what its text starts with. */
interface RecordStore {
  encoding: string
  head: Buffer | null
  /** The log's format (lib/ingest/formats), stored with each block. */
  format: string
}

/**
 * The batch's original records as compressed blocks (lib/events/record-blocks.ts), only the
 * stored events' records: a duplicate's line is left empty, and a block of duplicates only is not
 * written. Compressed on the thread pool while the events are copied.
 */
function recordBlocks(batch: Batch, importJobId: number, kept: Uint8Array | null, store: RecordStore): Promise<{ id: number; bytes: Buffer }[]> {
  const blocks: Promise<{ id: number; bytes: Buffer }>[] = []
  const count = batch.records.lines
  for (let start = 0, no = batch.firstBlock; start < count; start += RECORDS_PER_BLOCK, no++) {
    const end = Math.min(count, start + RECORDS_PER_BLOCK)
    if (kept && !kept.subarray(start, end).includes(1)) continue
    const id = recordBlockId(importJobId, no)
    const lines = batch.records.slice(start, end, kept, store.head)
    blocks.push(encodeBlock(lines).then((bytes) => ({ id, bytes })))
  }
  return Promise.all(blocks)
}

// 30 bits: small integers to V8, so a Set of a million of them stays small.
function idHash(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return h & 0x3fffffff
}

const HOUR_MS = 3_600_000
/** Beyond this many ids in one import, every id is looked up: the set must not grow with the file. */
const MAX_HASHED_IDS = 2_000_000

/**
 * Which events of a batch may be copies of stored ones, so only those are looked up: a look-up
 * per event costs as much as the load itself. A copy of an event is the same source id on the
 * same UTC day or within an hour of it (eventDay, sameEvent in ./event-key.ts), so an event can
 * only repeat a stored one when its hour, or the hour across midnight within an hour of it, held
 * events when the import began (imports into a dataset take turns), or when it repeats one of
 * this import's own earlier rows: a set of id hashes names the few of those that might, and the
 * database decides. A dataset's first import, or an appended hour, then looks up almost nothing.
 * A copy on the same day in another hour is not looked up: the batch's COPY meets the unique key
 * (dataset, day, key), and loadBatch loads it again with every event looked up.
 */
class StoredIds {
  private hashes: Set<number> | null = new Set()

  /** `storedHours`: the hours (epoch ms) that held events of the dataset when the import began. */
  constructor(private readonly storedHours: Set<number>) {}

  /** The events (indices in the batch) that may be copies of stored ones. */
  candidates(ids: string[], times: number[]): number[] {
    const hashes = this.hashes
    const found: number[] = []
    for (let i = 0; i < ids.length; i++) {
      if (!hashes || this.storedNear(times[i]) || hashes.has(idHash(ids[i]))) found.push(i)
    }
    return found
  }

  /** Whether the hour of `time`, or an hour across midnight within an hour of it, held events. */
  private storedNear(time: number): boolean {
    const hours = this.storedHours
    if (hours.has(Math.floor(time / HOUR_MS) * HOUR_MS)) return true
    const day = eventDay(time)
    for (const near of [time - HOUR_MS, time + HOUR_MS]) {
      if (eventDay(near) !== day && hours.has(Math.floor(near / HOUR_MS) * HOUR_MS)) return true
    }
    return false
  }

  add(ids: string[]): void {
    if (!this.hashes) return
    for (const id of ids) this.hashes.add(idHash(id))
    if (this.hashes.size > MAX_HASHED_IDS) this.hashes = null
  }
}

/**
 * Sends rollup rows grouped by the import (./hourly-rollup.ts) to sign_in_hourly_rollup, and keeps
 * their first "password right" times for sign_in_first_rights (sent when enough are held, and at
 * the import's end: mergeFirstRights).
 */
async function mergeRollup(client: PoolClient, rollup: HourlyRollup, rights: FirstRights, datasetId: number, current?: ReadonlySet<number>): Promise<void> {
  const cells = rollup.take(current)
  if (cells.length === 0) return
  const text = new CopyText()
  for (const line of rollupCopyText(cells)) text.add(line)
  await copyIn(client, COPY_ROLLUP, text.pieces())
  await client.query(sqlFile('ingest/sql/merge-rollup.sql'), [datasetId])
  await client.query('TRUNCATE ingest_rollup_staging')
  if (rights.add(cells)) await mergeFirstRights(client, rights, datasetId)
}

/** Sends the first "password right" times held (./first-rights.ts) to sign_in_first_rights. */
async function mergeFirstRights(client: PoolClient, rights: FirstRights, datasetId: number): Promise<void> {
  if (rights.size === 0) return
  const text = new CopyText()
  for (const line of rights.take()) text.add(line)
  await copyIn(client, COPY_FIRST_RIGHTS, text.pieces())
  await client.query(sqlFile('ingest/sql/merge-first-rights.sql'), [datasetId])
  await client.query('TRUNCATE ingest_first_rights_staging')
}

/**
 * Loads one batch: drops the events the dataset already holds (and repeats within the batch;
 * the first copy wins), COPYs the rest straight into sign_in_events, their original records into
 * sign_in_record_blocks, adds them to the hourly summary, and to the import's rollup, whose rows
 * of hours this batch did not touch then go to the database. Returns how many events were inserted.
 */
async function loadBatch(
  client: PoolClient,
  batch: Batch,
  stored: StoredIds,
  datasetId: number,
  importJobId: number,
  store: RecordStore,
  salt: UserAgentSalt,
  rollup: HourlyRollup,
  rights: FirstRights,
  refuse: (position: number, reason: string, excerpt: string) => void,
): Promise<{ inserted: number; refused: number }> {
  const candidates = stored.candidates(batch.ids, batch.times)
  await client.query('SAVEPOINT batch')
  let written: Written
  try {
    written = await writeBatch(client, batch, candidates, datasetId, importJobId, store, salt)
  } catch (error) {
    // A stored copy of an event in another hour of its day (see StoredIds): load it with every event looked up.
    if ((error as { code?: string }).code !== '23505' || candidates.length === batch.keys.length) throw error
    await client.query('ROLLBACK TO SAVEPOINT batch')
    written = await writeBatch(client, batch, batch.keys.map((_, i) => i), datasetId, importJobId, store, salt)
  }
  await client.query('RELEASE SAVEPOINT batch')
  const { inserted, refused } = written
  for (const [i, reason] of refused) refuse(batch.positions[i], reason, recordExcerpt(batch, i))
  // Both COPYs have ended: their text goes back to the import's pool for the batch after next.
  batch.events.release()
  batch.records.release()
  stored.add(batch.ids)
  const hours = new Set<number>()
  for (const i of inserted) {
    rollup.add(batch.normalised[i])
    hours.add(Math.floor(batch.times[i] / HOUR_MS) * HOUR_MS)
  }
  await mergeRollup(client, rollup, rights, datasetId, hours)
  return { inserted: inserted.length, refused: refused.size }
}

/** The start of event i's original record, as the batch stores it. */
function recordExcerpt(batch: Batch, i: number): string {
  return excerptOfText(batch.records.slice(i, i + 1).toString('utf8').trimEnd())
}

/** A batch's events written (indices in the batch), and those refused with the reason. */
interface Written {
  inserted: number[]
  refused: Map<number, string>
}

/** A stored or earlier event under an event key: its time (epoch ms) and source id. */
interface KeptEvent {
  time: number
  id: string
}

/**
 * The stored events that may be the candidates' copies (`candidates`: indices in the batch), by
 * event key: those with a candidate's key on its day or a day within an hour of its time.
 */
async function storedCopies(client: PoolClient, batch: Batch, candidates: number[], datasetId: number): Promise<Map<string, KeptEvent[]>> {
  const byKey = new Map<string, KeptEvent[]>()
  if (candidates.length === 0) return byKey
  const days = new Set<number>()
  for (const i of candidates) for (const time of [batch.times[i] - HOUR_MS, batch.times[i], batch.times[i] + HOUR_MS]) days.add(eventDay(time))
  const { rows } = await client.query<{ event_key: string; time_ms: string; source_event_id: string }>(sqlFile('ingest/sql/existing-event-ids.sql'), [
    datasetId,
    candidates.map((i) => batch.keys[i]),
    [...days],
  ])
  for (const r of rows) keepEvent(byKey, r.event_key, { time: Number(r.time_ms), id: r.source_event_id })
  return byKey
}

function keepEvent(byKey: Map<string, KeptEvent[]>, key: string, event: KeptEvent): void {
  const kept = byKey.get(key)
  if (kept) kept.push(event)
  else byKey.set(key, [event])
}

/** Writes a batch's new events; `candidates` (indices in the batch) are those that may be copies of stored ones. */
async function writeBatch(client: PoolClient, batch: Batch, candidates: number[], datasetId: number, importJobId: number, store: RecordStore, salt: UserAgentSalt): Promise<Written> {
  const seen = await storedCopies(client, batch, candidates, datasetId)
  const refused = new Map<number, string>()
  let keep: number[] = []
  for (let i = 0; i < batch.ids.length; i++) {
    const time = batch.times[i]
    const earlier = seen.get(batch.keys[i])?.find((e) => sameEvent(e.time, time))
    if (earlier !== undefined) {
      // An id without a GUID is a hash of the record (build-event.ts), which an attacker can steer.
      if (earlier.id !== batch.ids[i]) refused.set(i, `event id ${JSON.stringify(batch.ids[i])} has the 64-bit key ${batch.keys[i]} of another event of this dataset, ${JSON.stringify(earlier.id)}; the event is not stored`)
      continue
    }
    keepEvent(seen, batch.keys[i], { time, id: batch.ids[i] })
    keep.push(i)
  }
  if (keep.length) {
    const clashes = await storeUserAgents(client, salt, datasetId, keep.map((i) => batch.normalised[i].userAgent))
    if (clashes.size) {
      for (const [k, reason] of clashes) refused.set(keep[k], reason)
      keep = keep.filter((_, k) => !clashes.has(k))
    }
  }
  if (keep.length === 0) return { inserted: keep, refused }
  const all = keep.length === batch.ids.length
  let kept: Uint8Array | null = null
  if (!all) {
    kept = new Uint8Array(batch.ids.length)
    for (const i of keep) kept[i] = 1
  }
  const blocks = recordBlocks(batch, importJobId, kept, store)
  // Whatever happens next, a rejected compression must not go unhandled.
  blocks.catch(() => {})
  await copyIn(client, COPY_EVENTS, batch.events.pieces(all ? undefined : keep))
  await copyIn(client, COPY_RECORD_BLOCKS, recordBlocksCopy(datasetId, store.encoding, store.format, await blocks))
  const summary = new HourlySummary()
  for (const i of keep) summary.add(batch.times[i], batch.codes[i], batch.flags[i])
  await client.query(sqlFile('ingest/sql/merge-summary.sql'), [datasetId, ...summary.params()])
  return { inserted: keep, refused }
}

export async function ingest(input: IngestInput): Promise<ImportReport> {
  const pool = await getPool()
  const started = Date.now()
  const job = await openImportJob(input)
  const report = emptyReport(job.id, input.fileName)
  const rejections: Rejection[] = []
  const maxRejectedStored = input.maxRejectedStored ?? DEFAULT_MAX_REJECTED_STORED
  const reject = (recordNumber: number, reason: string, excerpt: string) => {
    report.rowsRejected++
    if (rejections.length < maxRejectedStored) rejections.push({ recordNumber, reason, excerpt })
  }

  let client: PoolClient | null = null
  // The batch being loaded while the next one is parsed. A failure must wait for it before
  // ROLLBACK: its COPY into sign_in_events, sent after the ROLLBACK, would commit on its own.
  let inFlight: Promise<void> = Promise.resolve()
  let stats: { bytesRead: number; sha256(): string } | null = null
  let processed = 0
  const progress = new ProgressWriter(
    (): ImportProgress => ({
      jobId: job.id,
      bytesRead: stats?.bytesRead ?? 0,
      rowsRead: report.rowsRead,
      rowsProcessed: processed,
      rowsRejected: report.rowsRejected,
      rowsSkipped: report.rowsSkipped,
    }),
    input.onProgress,
  )

  try {
    const decoded = await decodeInput(input.source, { maxDecodedBytes: input.maxDecodedBytes, maxExpansionRatio: input.maxExpansionRatio })
    stats = decoded.stats
    const log = await openSignInLog(decoded, input.fileName)
    report.format = log.format.id
    report.formatLabel = log.format.label
    const normalise = log.format.normaliser(log.context)
    // CSV records are read by column and stored as the file's text (lib/events/record-blocks.ts).
    const normaliseFields = log.format.fieldNormaliser?.(log.context)
    const csvHeaders = log.context.headers
    const store: RecordStore = csvHeaders
      ? { encoding: CSV_BLOCK_ENCODING, head: csvBlockHead(csvHeaders), format: log.format.id }
      : { encoding: JSON_BLOCK_ENCODING, head: null, format: log.format.id }

    client = await pool.connect()
    await client.query('BEGIN')
    await lockDataset(client, input.datasetId)
    // Events keep no foreign key to their dataset (checked per row, it took half of their COPY):
    // the import holds the dataset row instead, so the dataset cannot be deleted under it.
    const held = await client.query(sqlFile('ingest/sql/hold-dataset.sql'), [input.datasetId])
    if (held.rowCount === 0) throw new Error(`dataset ${input.datasetId} no longer exists`)
    // The rollup's upsert sorts up to ~100,000 rows; the server's default (4 MB) spills it to disk.
    await client.query("SET LOCAL work_mem = '64MB'")
    await client.query(sqlFile('ingest/sql/create-staging.sql'))
    // From the database written to (lib/events/user-agents.ts): a key made with another salt matches nothing.
    const salt = await readUserAgentSalt(client)
    const rollup = new HourlyRollup()
    const rights = new FirstRights()
    const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE
    const db = client
    const linePrefix = eventLinePrefix(input.datasetId, job.id)
    const hours = await db.query<{ bucket: Date }>(sqlFile('ingest/sql/stored-hours.sql'), [input.datasetId])
    const storedIds = new StoredIds(new Set(hours.rows.map((r) => r.bucket.getTime())))

    const flush = async (full: Batch) => {
      const loaded = await loadBatch(db, full, storedIds, input.datasetId, job.id, store, salt, rollup, rights, reject)
      report.rowsInserted += loaded.inserted
      processed += full.ids.length - loaded.refused
    }

    // Double buffering: the next batch is parsed while PostgreSQL loads the previous one.
    const chunks = new ChunkPool()
    let batch = newBatch(0, chunks)
    const queued: Promise<void>[] = []
    let minTime = Number.POSITIVE_INFINITY
    let maxTime = Number.NEGATIVE_INFINITY
    for await (const item of log.records) {
      if (isUnreadable(item)) {
        if (!item.fatal) report.rowsRead++
        reject(item.position, item.error, item.excerpt)
        if (item.fatal) report.error = `${item.error} (record ${item.position})`
        continue
      }
      report.rowsRead++
      const csv = item instanceof CsvRecord ? item : null
      const result = csv && normaliseFields ? normaliseFields(csv.fields) : normalise(item.record)
      if (result.kind === 'skipped') {
        report.rowsSkipped++
        continue
      }
      if (result.kind === 'rejected') {
        reject(item.position, result.reason, excerptOf(item.record))
        continue
      }
      const time = result.event.createdAt
      if (time < minTime) minTime = time
      if (time > maxTime) maxTime = time
      const event = result.event
      const i = batch.ids.length
      const key = eventKey(event.sourceEventId)
      batch.ids.push(event.sourceEventId)
      batch.normalised.push(event)
      batch.keys.push(key)
      batch.records.add((csv ? csvRecordLine(csv.fields, csv.text) : event.raw) + '\n')
      batch.times.push(time)
      batch.codes.push(event.errorCode)
      batch.flags.push(summaryFlags(event))
      batch.positions.push(item.position)
      const block = recordBlockId(job.id, batch.firstBlock + Math.floor(i / RECORDS_PER_BLOCK))
      batch.events.add(linePrefix + copyLine(event, salt, key, block, i % RECORDS_PER_BLOCK))
      if (batch.ids.length >= batchSize) {
        const full = batch
        batch = newBatch(full.firstBlock + Math.ceil(full.ids.length / RECORDS_PER_BLOCK), chunks)
        if (queued.length >= MAX_BATCHES_QUEUED) await queued.shift()
        inFlight = inFlight.then(() => flush(full))
        // A failed batch must surface at the next await, not as an unhandled rejection.
        inFlight.catch(() => {})
        queued.push(inFlight)
      }
    }
    await inFlight
    if (batch.ids.length) await flush(batch)
    await mergeRollup(client, rollup, rights, input.datasetId)
    await mergeFirstRights(client, rights, input.datasetId)

    // From the events sent to the database, not from rowsRead: rowsRejected also counts a fatal
    // "the rest could not be read" item, which is no row read, and the difference went negative.
    report.rowsDuplicate = processed - report.rowsInserted
    report.bytes = decoded.stats.bytesRead
    report.contentSha256 = decoded.stats.sha256() || null
    report.minEventTime = Number.isFinite(minTime) ? new Date(minTime) : null
    report.maxEventTime = Number.isFinite(maxTime) ? new Date(maxTime) : null
    if (report.rowsRead > 0 && report.rowsSkipped === report.rowsRead) {
      report.status = 'not_applicable'
      report.error = 'service-principal or managed-identity sign-ins only: they have no user name, so the enumeration detection does not use them'
    }

    if (report.rowsInserted > 0) {
      // No ANALYZE here: nothing in the import's transaction joins the events any more. The
      // recompute that reads them runs after the commit, and refreshStatisticsAfterImport (below)
      // analyses the tables first when the dataset is new or has doubled.
      // What is derived from these hours is recomputed after the import (lib/derive/recompute.ts).
      await markAppended(client, input.datasetId, report.minEventTime!, report.maxEventTime!)
    }

    await progress.stop()
    await finishImportJob(client, report, rejections)
    await auditImport(client, report.jobId, report)
    await client.query('COMMIT')
  } catch (error) {
    await progress.stop()
    await inFlight.catch(() => {})
    if (client) await client.query('ROLLBACK').catch(() => {})
    const known = error instanceof NotASignInLogError || error instanceof NotApplicableError || error instanceof InputTooLargeError
    const connectionLost = !known && isDatabaseUnavailable(error)
    report.status = error instanceof NotApplicableError ? 'not_applicable' : 'failed'
    report.error = known ? (error as Error).message : connectionLost ? CONNECTION_LOST : `import failed: ${(error as Error).message}`
    report.rowsInserted = 0
    report.rowsDuplicate = 0
    report.bytes = stats?.bytesRead ?? 0
    // An uploaded file is still on disk: its job waits (queued) to be imported again (upload-ingest.ts).
    const resumable = connectionLost && input.origin === 'upload'
    await failImportJob(resumable ? { ...report, status: 'queued' as ImportReport['status'], error: `${CONNECTION_LOST}; the uploaded file is imported again when the database is back` } : report)
      .then(() => (resumable ? undefined : auditImport(pool, report.jobId, report)))
      .catch(
      (updateError: unknown) => {
        // The database is gone: the job is marked as soon as it is back (not left "running").
        if (!isDatabaseUnavailable(updateError)) throw updateError
        if (!resumable) failImportWhenReachable(report.jobId, report.error ?? CONNECTION_LOST)
      },
    )
  } finally {
    client?.release()
  }
  // Committed (a failed import has rowsInserted reset to 0): statistics for the plans of what follows.
  if (report.rowsInserted > 0) await refreshStatisticsAfterImport(input.datasetId)
  report.durationMs = Date.now() - started
  report.rejections = rejections.slice(0, 20)
  return report
}
