import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type { UserAgentSalt } from '@/lib/events/user-agents'
import { decodeInput } from '@/lib/ingest/byte-source'
import { copyLine } from '@/lib/ingest/copy-rows'
import { eventKey } from '@/lib/ingest/event-key'
import { openSignInLog } from '@/lib/ingest/open-log'
import { isUnreadable } from '@/lib/ingest/readers/read-item'
import { CsvRecord } from '@/lib/ingest/readers/csv'
import { csvRecordLine } from '@/lib/events/record-blocks'

/**
 * The pipeline's Node side alone (read → parse → normalise → COPY text and record lines; no
 * compression), without a database:
 * `tsx scripts/bench/node-side.ts FILE` prints its rows/s, and under `node --cpu-prof` shows
 * where the CPU goes. Not part of `npm run bench`; a tool for working on the hot path.
 */
const file = process.argv[2]
if (!file) throw new Error('usage: tsx scripts/bench/node-side.ts <portal csv>')
const started = performance.now()
const cpuStart = process.cpuUsage()
const decoded = await decodeInput(createReadStream(file))
const log = await openSignInLog(decoded, file)
const normalise = log.format.normaliser(log.context)
const normaliseFields = log.format.fieldNormaliser?.(log.context)
// No database here: a salt of the same length as a migrated database's (64 hex digits) costs the same.
const salt = randomBytes(32).toString('hex') as UserAgentSalt
let rows = 0
let bytes = 0
for await (const item of log.records) {
  if (isUnreadable(item)) continue
  // As the pipeline does: a CSV record by column, stored as its text.
  const csv = item instanceof CsvRecord ? item : null
  const result = csv && normaliseFields ? normaliseFields(csv.fields) : normalise(item.record)
  if (result.kind === 'event') bytes += copyLine(result.event, salt, eventKey(result.event.sourceEventId), 0, 0).length + (csv ? csvRecordLine(csv.fields, csv.text) : result.event.raw).length
  rows++
}
const ms = performance.now() - started
// CPU time too: on a shared machine the wall time says more about the other processes.
const cpu = process.cpuUsage(cpuStart)
const cpuMs = (cpu.user + cpu.system) / 1000
console.log(`${rows} rows in ${(ms / 1000).toFixed(2)} s: ${Math.round(rows / (ms / 1000))} rows/s, ${Math.round(rows / (cpuMs / 1000))} rows per CPU-second, ${(bytes / 1e6).toFixed(0)} MB of COPY text`)
