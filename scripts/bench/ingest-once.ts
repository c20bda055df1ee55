import { createReadStream, readFileSync } from 'node:fs'
import path from 'node:path'
import { closeDatabase, getPool } from '@/lib/db/database'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { ingest } from '@/lib/ingest/pipeline'
import { createDatabase, databaseUrl, dropDatabase, openServer, uniqueDatabaseName } from './databases'

/**
 * One timed ingest() of a file into a fresh database, for profiling the pipeline
 * (`node --cpu-prof --import tsx scripts/bench/ingest-once.ts FILE`). Not part of `npm run bench`.
 */
const file = process.argv[2]
if (!file) throw new Error('usage: tsx scripts/bench/ingest-once.ts <sign-in log file>')
const server = await openServer()
const name = uniqueDatabaseName()
await createDatabase(server.adminUrl, name)
try {
  process.env.DATABASE_URL = databaseUrl(server.adminUrl, name)
  await getPool()
  const dataset = await findOrCreateDataset('profile')
  const started = performance.now()
  const cpuStart = process.cpuUsage()
  const report = await ingest({ datasetId: dataset.id, fileName: path.basename(file), source: createReadStream(file) })
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuStart)
  // The server's share: CPU time of the backends of this database (the pool keeps them open).
  const pids = (await (await getPool()).query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows
  let ticks = 0
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // another machine's server: no /proc entry
    }
  }
  if (report.error) console.log(report.error)
  console.log(`${report.status}: ${report.rowsInserted} rows in ${(ms / 1000).toFixed(2)} s, ${Math.round(report.rowsRead / (ms / 1000))} rows/s; CPU: node ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, server backends ${(ticks / 100).toFixed(2)} s`)
} finally {
  await closeDatabase()
  if (process.env.KEEP_DATABASE) console.log(`kept ${name}`)
  else await dropDatabase(server.adminUrl, name)
  if (server.embedded?.owned) await server.embedded.stop()
}
