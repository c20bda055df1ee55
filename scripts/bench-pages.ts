import { Command, InvalidArgumentError } from 'commander'
import { closeDatabase, getPool } from '@/lib/db/database'
import { projectRoot } from '@/lib/db/project-root'
import { runPagesPart } from './bench/pages-part'

/**
 * `npm run bench:pages`: only the pages part of `npm run bench` (docs/benchmarks.md), against a
 * database that already holds a dataset — e.g. a clone of one the bench kept (`--keep`) — so the
 * pages can be measured again after a change without loading the events again.
 */

function positiveInt(value: string): number {
  const n = Number(value.replaceAll('_', ''))
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`not a positive integer: ${value}`)
  return n
}

const options = new Command()
  .name('npm run bench:pages --')
  .description('pages and API routes under concurrent clients, beside /api/auth/me, on an existing database')
  .option('--database-url <url>', 'the database (default: DATABASE_URL); it is migrated first, as the app would')
  .option('--dataset <id>', 'the dataset whose pages to load (default: the one with the most events)', positiveInt)
  .option('--clients <n>', 'concurrent clients per route', positiveInt, 20)
  .option('--page-seconds <n>', 'seconds of load per route', positiveInt, 10)
  .option('--port <n>', 'port of the app under load', positiveInt, 3917)
  .option('--only <texts...>', 'only the routes containing one of these texts')
  .option('--no-load', 'leave out the routes under load')
  .option('--explain', 'EXPLAIN (ANALYZE, BUFFERS) every statement one request to each route sends')
  .option('--search-runs <n>', 'timed runs of the username search (0: leave it out)', (v) => (v === '0' ? 0 : positiveInt(v)), 7)
  .parse()
  .opts<{ databaseUrl?: string; dataset?: number; clients: number; pageSeconds: number; port: number; only?: string[]; load: boolean; explain?: boolean; searchRuns: number }>()

const url = options.databaseUrl ?? process.env.DATABASE_URL
if (!url) {
  console.error('give --database-url or set DATABASE_URL')
  process.exit(2)
}
process.env.DATABASE_URL = url

let ok = false
try {
  const pool = await getPool()
  const datasetId =
    options.dataset ??
    (await pool.query<{ id: number }>('SELECT dataset_id AS id FROM sign_in_hourly_summary GROUP BY dataset_id ORDER BY sum(events) DESC LIMIT 1')).rows[0]?.id
  if (!datasetId) throw new Error('the database holds no events')
  const { events } = (await pool.query<{ events: string }>('SELECT coalesce(sum(events), 0)::text AS events FROM sign_in_hourly_summary WHERE dataset_id = $1', [datasetId])).rows[0]
  console.log(`dataset ${datasetId}: ${Number(events).toLocaleString('en-US')} events; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  const result = await runPagesPart({
    root: projectRoot(),
    databaseUrl: url,
    datasetId,
    clients: options.clients,
    pageSeconds: options.pageSeconds,
    port: options.port,
    only: options.only,
    load: options.load,
    explain: options.explain ?? false,
    searchRuns: options.searchRuns,
  })
  ok = result.searchSame
} catch (error) {
  console.error(`bench:pages failed: ${(error as Error).stack ?? error}`)
} finally {
  await closeDatabase()
}
process.exit(ok ? 0 : 1)
