import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { ingest } from '@/lib/ingest/pipeline'
import { closeDatabase } from '@/lib/db/database'
const MiB = 1 << 20
async function* content(): AsyncGenerator<Buffer> {
  yield Buffer.from('{"id":"a","createdDateTime":"2026-03-02T10:00:00Z","userPrincipalName":"u@x","userAgent":"x","status":{"errorCode":50034}}\n')
  yield Buffer.from('{"id":"b","createdDateTime":"2026-03-02T10:00:00Z","userAgent":"')
  const filler = Buffer.alloc(MiB, 'A')
  for (let i = 0; i < 200; i++) yield filler
  yield Buffer.from('"}\n{"id":"c","createdDateTime":"2026-03-02T10:00:00Z","userPrincipalName":"u@x","userAgent":"x","status":{"errorCode":50034}}\n')
}
const { id } = await findOrCreateDataset('x')
const base = process.memoryUsage().rss
let peak = 0
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 10)
const t = Date.now()
const r = await ingest({ datasetId: id, fileName: 'x.ndjson', source: content() })
clearInterval(timer)
console.log(r.status, r.rowsRead, r.rowsRejected, ((peak - base) / MiB).toFixed(0), 'MiB', Date.now() - t, 'ms')
await closeDatabase()
