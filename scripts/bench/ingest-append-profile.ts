import { createReadStream, readFileSync } from 'node:fs'
import path from 'node:path'
import { timeStatements } from './statement-times'

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

const statements = timeStatements()

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
    statements.reset()
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
  if (process.env.QUERIES) statements.print(15)
} finally {
  await closeDatabase()
}
