import { createReadStream } from 'node:fs'
import { decodeInput } from '@/lib/ingest/byte-source'
import { copyLine } from '@/lib/ingest/copy-rows'
import { eventKey } from '@/lib/ingest/event-key'
import { openSignInLog } from '@/lib/ingest/open-log'
import { isUnreadable } from '@/lib/ingest/readers/read-item'

/**
 * The pipeline's Node side alone (read → parse → normalise → COPY text), without a database:
 * `tsx scripts/bench/node-side.ts FILE` prints its rows/s, and under `node --cpu-prof` shows
 * where the CPU goes. Not part of `npm run bench`; a tool for working on the hot path.
 */
const file = process.argv[2]
if (!file) throw new Error('usage: tsx scripts/bench/node-side.ts <portal csv>')
const started = performance.now()
const decoded = await decodeInput(createReadStream(file))
const log = await openSignInLog(decoded, file)
const normalise = log.format.normaliser(log.context)
let rows = 0
let bytes = 0
for await (const item of log.records) {
  if (isUnreadable(item)) continue
  const result = normalise(item.record)
  if (result.kind === 'event') bytes += copyLine(result.event, eventKey(result.event.sourceEventId), 0, 0).length + result.event.raw.length
  rows++
}
const ms = performance.now() - started
console.log(`${rows} rows in ${(ms / 1000).toFixed(2)} s: ${Math.round(rows / (ms / 1000))} rows/s, ${(bytes / 1e6).toFixed(0)} MB of COPY text`)
