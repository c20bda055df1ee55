import { createReadStream, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { closeDatabase } from '@/lib/db/database'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { recomputeDataset } from '@/lib/derive/recompute'
import { ingest, type ImportProgress } from '@/lib/ingest/pipeline'

/**
 * `tsx scripts/bench/ingest-files.ts <dataset> <file>…` with DATABASE_URL set: ingest() of each
 * file in turn, then one recompute of the dataset's findings, as `npm run cli -- ingest` does, in
 * a process of its own so that its peak RSS is the import's. Prints one JSON line: per file its
 * time and when its last row was loaded (the rest is the import's closing), the recompute's time,
 * and the process's peak RSS.
 */
export interface IngestFilesResult {
  files: { file: string; rows: number; inserted: number; ms: number; loadedMs: number | null }[]
  recomputeMs: number
  maxRssBytes: number
  /** CPU time of this process, and of the database's server processes serving it (Linux /proc; 0 elsewhere). */
  cpuMs: number
  serverCpuMs: number
}

/**
 * CPU time (ms) of the PostgreSQL backends connected to `database`, from /proc: on a shared
 * machine, CPU time says what the import costs where wall time says what else ran.
 */
function serverCpuMs(database: string): number {
  let ticks = 0
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        if (!cmdline.startsWith('postgres:') || !cmdline.split(' ').includes(database)) continue
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        ticks += Number(fields[11]) + Number(fields[12]) // utime, stime
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0
  }
  return ticks * 10 // USER_HZ = 100 on Linux
}

const [dataset, ...files] = process.argv.slice(2)
if (!dataset || files.length === 0) throw new Error('usage: tsx scripts/bench/ingest-files.ts <dataset> <file>…')
const { id } = await findOrCreateDataset(dataset)
const result: IngestFilesResult = { files: [], recomputeMs: 0, maxRssBytes: 0, cpuMs: 0, serverCpuMs: 0 }
const database = new URL(process.env.DATABASE_URL ?? 'postgresql://localhost/').pathname.slice(1)
try {
  for (const file of files) {
    const started = performance.now()
    let loadedMs: number | null = null
    // Progress ticks every 500 ms: the first tick that sees every row read also loaded marks the
    // end of loading (the generated files have no rejected or skipped rows).
    const onProgress = (p: ImportProgress) => {
      if (loadedMs === null && p.rowsProcessed > 0 && p.rowsProcessed === p.rowsRead) loadedMs = performance.now() - started
    }
    const stream = createReadStream(file)
    const report = await ingest({ datasetId: id, fileName: path.basename(file), source: stream, onProgress })
    stream.destroy()
    if (report.status !== 'succeeded') throw new Error(`${file}: ${report.status}: ${report.error}`)
    result.files.push({ file: path.basename(file), rows: report.rowsRead, inserted: report.rowsInserted, ms: performance.now() - started, loadedMs })
  }
  // The import's CPU, before the recompute (H3's) adds to it.
  const cpu = process.cpuUsage()
  result.cpuMs = (cpu.user + cpu.system) / 1000
  result.serverCpuMs = serverCpuMs(database)
  const started = performance.now()
  const recompute = await recomputeDataset(id)
  if (recompute.status !== 'current') throw new Error(`recompute: ${recompute.status}${recompute.error ? `: ${recompute.error}` : ''}`)
  result.recomputeMs = performance.now() - started
  result.maxRssBytes = process.resourceUsage().maxRSS * 1024
  console.log(JSON.stringify(result))
} finally {
  await closeDatabase()
}
