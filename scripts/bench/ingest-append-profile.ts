import { createReadStream, readFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'

/**
 * Where one import's time goes, statement by statement, in an existing database
 * (`DATABASE_URL=… tsx scripts/bench/ingest-append-profile.ts <dataset id> FILE [WARM_FILE]`; not
 * part of `npm run bench`). Written for the bench's appended hour: import into a copy of a kept
 * bench database whose last hour was removed. With WARM_FILE, that file is first imported into a
 * new dataset of its own, so the timed import runs in a process whose code is already compiled,
 * as in a long-running server; the difference to a run without it is the fresh process's warm-up.
 * Prints wall time, CPU of Node and of the database's backends, and (QUERIES=1) the statements by
 * total time as the client saw them: a COPY's time includes the parsing of the next batch that
 * overlaps it.
 */
const started = performance.now()
const { closeDatabase, getPool } = await import('@/lib/db/database')
const { ingest } = await import('@/lib/ingest/pipeline')
const imported = performance.now()

const times: { sql: string; ms: number }[] = []
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
;(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string; constructor: { name: string } }
  const text = typeof first === 'string' ? first : (first?.text ?? first?.constructor?.name)
  const at = performance.now()
  const result = query.apply(this, args) as { then?: unknown; on?: unknown } | undefined
  const done = () => times.push({ sql: String(text).replace(/\s+/g, ' ').slice(0, 90), ms: performance.now() - at })
  if (result && typeof result.then === 'function') (result as Promise<unknown>).then(done, done)
  else if (result && typeof result.on === 'function') {
    const stream = result as NodeJS.EventEmitter
    stream.on('finish', done)
    stream.on('error', done)
  }
  return result
}

const pool = await getPool()
await pool.query('SELECT 1')
const connected = performance.now()
const [datasetId, file, warm] = process.argv.slice(2)
if (!datasetId || !file) throw new Error('usage: tsx scripts/bench/ingest-append-profile.ts <dataset id> <file> [<warm-up file>]')

/** CPU time (ms) of this database's backends, from /proc. */
async function backendCpuMs(): Promise<number> {
  let ticks = 0
  for (const { pid } of (await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // ended meanwhile, or another machine's server
    }
  }
  return ticks * 10
}

try {
  if (warm) {
    const { rows } = await pool.query<{ id: number }>("INSERT INTO datasets (name) VALUES ('warm-up ' || gen_random_uuid()) RETURNING id")
    const report = await ingest({ datasetId: rows[0].id, fileName: path.basename(warm), source: createReadStream(warm) })
    console.log(`warm-up: ${report.status}, ${report.rowsInserted} rows in ${report.durationMs} ms`)
    times.length = 0
  }
  const backendBefore = await backendCpuMs()
  const cpuBefore = process.cpuUsage()
  const at = performance.now()
  const report = await ingest({ datasetId: Number(datasetId), fileName: path.basename(file), source: createReadStream(file) })
  const ms = performance.now() - at
  const cpu = process.cpuUsage(cpuBefore)
  const backend = (await backendCpuMs()) - backendBefore
  console.log(
    `${report.status}: ${report.rowsInserted} rows in ${ms.toFixed(0)} ms; CPU: node ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, backends ${backend} ms ` +
      `(before the import: loading modules ${(imported - started).toFixed(0)} ms, connecting and checking migrations ${(connected - imported).toFixed(0)} ms)`,
  )
  if (process.env.QUERIES) {
    const byStatement = new Map<string, { n: number; ms: number }>()
    for (const t of times) {
      const s = byStatement.get(t.sql) ?? { n: 0, ms: 0 }
      s.n++
      s.ms += t.ms
      byStatement.set(t.sql, s)
    }
    for (const [sql, s] of [...byStatement].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(`${s.ms.toFixed(0).padStart(6)} ms ${String(s.n).padStart(4)}× ${sql}`)
  }
} finally {
  await closeDatabase()
}
