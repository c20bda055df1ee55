import { spawnSync } from 'node:child_process'
import { createReadStream, rmSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import pg from 'pg'
import { closeDatabase, getPool } from '@/lib/db/database'
import { migrate } from '@/lib/db/migrate'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { ingest, type ImportProgress } from '@/lib/ingest/pipeline'
import { copyWithPgCopyStreams, copyWithPsql, prepareBaselineJob, psqlAvailable, writeBaselineCopyText } from './bench/copy-baseline'
import { checkpoint, createDatabase, databaseUrl, dropDatabase, openServer, serverFacts, uniqueDatabaseName } from './bench/databases'
import { firstDifference, timeAppDetection, timeBaselineDetection, verdictCounts } from './bench/detection'
import { loadLongSource, timeRefresh, timeWindowQueries } from './bench/long-source'
import { writePortalCsv } from './bench/portal-csv'
import { grouped, megabytes, millis, row, seconds, verdictLine } from './bench/report'

/**
 * `npm run bench`: ingest rows/s and detection latency on a generated portal CSV, each beside a
 * baseline measured in the same run on the same server (docs/benchmarks.md). Figures are
 * ratios against those baselines, so they compare the code, not the machine.
 */

function positiveInt(value: string): number {
  const n = Number(value.replaceAll('_', ''))
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`not a positive integer: ${value}`)
  return n
}

function nonNegativeInt(value: string): number {
  return value === '0' ? 0 : positiveInt(value)
}

const options = new Command()
  .name('npm run bench --')
  .description('benchmark ingest and detection against in-run baselines (psql \\copy; the rule without indexes or rollup)')
  .option('--rows <n>', 'rows in the generated portal CSV', positiveInt, 1_000_000)
  .option('--seed <n>', 'seed of the generated data', positiveInt, 20_261_128)
  .option('--runs <n>', 'timed detection runs (the median is reported)', positiveInt, 7)
  .option('--baseline-runs <n>', 'timed runs of the detection baseline', positiveInt, 3)
  .option('--csv <file>', 'use this portal CSV instead of generating one (--rows is then ignored)')
  .option('--dir <dir>', 'where the generated files go (default: a new folder under the OS temp dir)')
  .option('--long-days <n>', 'days of the source probing around the clock (0: leave that part out)', nonNegativeInt, 14)
  .option('--keep', 'keep the generated files and the bench databases')
  .parse()
  .opts<{ rows: number; seed: number; runs: number; baselineRuns: number; longDays: number; csv?: string; dir?: string; keep?: boolean }>()

const target = { ingestRatio: 0.5, detectionMs: 500 }
const cleanups: (() => Promise<unknown>)[] = []

let cleaning: Promise<void> | undefined

/** Undoes what the bench set up, newest first; an interrupt and the normal end share one run of it. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) await cleanups.pop()!().catch((error: Error) => console.error(`cleanup: ${error.message}`))
  })()
  return cleaning
}

// Ctrl-C: undone synchronously (psql, rm), because asynchronous clean-up did not survive the
// interrupt under tsx. DROP … WITH (FORCE) also ends an import still running.
const created: { adminUrl: string; name: string }[] = []
const temporary: string[] = []
process.on('SIGINT', () => {
  console.error('\ninterrupted: dropping the bench databases')
  for (const db of created) {
    const result = spawnSync('psql', [db.adminUrl, '-X', '-q', '-c', `DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`], { stdio: 'inherit' })
    if (result.status !== 0) console.error(`could not drop ${db.name}: drop it by hand`)
  }
  for (const file of temporary) rmSync(file, { recursive: true, force: true })
  process.exit(130)
})

async function countRows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_events')).rows[0].n
  } finally {
    await client.end()
  }
}

async function main(): Promise<boolean> {
  const server = await openServer()
  if (server.embedded?.owned) cleanups.push(() => server.embedded!.stop())
  const facts = await serverFacts(server.adminUrl)
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`)
  console.log(`server:  ${facts.version.split(' on ')[0]}${server.embedded ? ' (embedded)' : ''}; ${Object.entries(facts.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`)

  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'et-bench-')))
  if (!options.keep) temporary.push(options.dir ? path.join(dir, 'baseline.copy') : dir)
  if (!options.keep) cleanups.push(() => (options.dir ? Promise.resolve() : rm(dir, { recursive: true, force: true })))

  // 1. The data
  let csvPath = options.csv ? path.resolve(options.csv) : path.join(dir, 'InteractiveSignIns_bench.csv')
  if (!options.csv) {
    const started = performance.now()
    const generated = await writePortalCsv(csvPath, { rows: options.rows, seed: options.seed })
    if (!options.keep && options.dir) cleanups.push(() => rm(csvPath, { force: true }))
    const b = generated.bursts
    console.log(
      `\ndata:    ${grouped(generated.rows)} rows, ${megabytes(generated.bytes)} portal CSV (55 columns), ${generated.hours} hours, ${grouped(generated.users)} users, ` +
        `${grouped(generated.ruleCodeRows)} rows with the rule's codes; bursts: ${b.high} high, ${b.moderate} moderate, ${b.low} low, ${b['near-miss']} near misses ` +
        `(generated in ${seconds(performance.now() - started)}) → ${csvPath}`,
    )
  } else {
    console.log(`\ndata:    ${csvPath} (${megabytes((await stat(csvPath)).size)})`)
  }

  // 2. Ingest baseline: psql \copy of the normalised rows into a freshly migrated database.
  const baseName = uniqueDatabaseName()
  const copyDb = `${baseName}_copy`
  const copyUrl = databaseUrl(server.adminUrl, copyDb)
  await createDatabase(server.adminUrl, copyDb)
  created.push({ adminUrl: server.adminUrl, name: copyDb })
  if (!options.keep) cleanups.push(() => dropDatabase(server.adminUrl, copyDb))
  await migrate(copyUrl)
  const job = await prepareBaselineJob(copyUrl)
  const copyFile = path.join(dir, 'baseline.copy')
  if (!options.keep) cleanups.push(() => rm(copyFile, { force: true }))
  const rows = await writeBaselineCopyText(csvPath, copyFile, job)
  const copyBytes = (await stat(copyFile)).size
  const usePsql = psqlAvailable()
  if (!usePsql) console.log('psql not found on PATH: the ingest baseline falls back to pg-copy-streams (COPY FROM STDIN from Node)')
  await checkpoint(copyUrl).catch(() => {})
  const copyMs = usePsql ? await copyWithPsql(copyUrl, copyFile) : await copyWithPgCopyStreams(copyUrl, copyFile)
  const copyRate = rows / (copyMs / 1000)
  console.log(`\ningest:  ${grouped(rows)} rows`)
  console.log(row('', 'time', 'rows/s', 'vs \\copy'))
  console.log(row(`baseline: ${usePsql ? 'psql \\copy' : 'COPY (pg-copy-streams)'} of normalised rows`, seconds(copyMs), grouped(copyRate), '1.00×'))
  const copied = await countRows(copyUrl)
  if (copied !== rows) throw new Error(`the baseline loaded ${copied} rows, expected ${rows}`)
  if (!options.keep) {
    await dropDatabase(server.adminUrl, copyDb) // frees its disk before the pipeline loads the same rows
    await rm(copyFile, { force: true })
  }

  // 3. Ingest: the real pipeline, from the CSV file, as the CLI runs it.
  const benchDb = baseName
  const benchUrl = databaseUrl(server.adminUrl, benchDb)
  await createDatabase(server.adminUrl, benchDb)
  created.push({ adminUrl: server.adminUrl, name: benchDb })
  if (!options.keep) cleanups.push(() => dropDatabase(server.adminUrl, benchDb))
  // Bounded: an import still running holds its pooled client, and the drop below ends it anyway.
  cleanups.push(() => Promise.race([closeDatabase(), new Promise((resolve) => setTimeout(resolve, 3000))]))
  process.env.DATABASE_URL = benchUrl
  await getPool() // connects and migrates: not part of the timing
  const dataset = await findOrCreateDataset('bench')
  await checkpoint(benchUrl).catch(() => {})
  const stream = createReadStream(csvPath)
  const ingestStarted = performance.now()
  // Progress ticks every 500 ms: the first tick that sees every row loaded marks the end of
  // loading; what follows is the import's closing work (findings refresh, commit).
  let loadedMs = Number.NaN
  const onProgress = (p: ImportProgress) => {
    if (!Number.isNaN(loadedMs) || p.rowsProcessed < rows) return
    loadedMs = performance.now() - ingestStarted
    console.log(`  (pipeline: all rows loaded after ${seconds(loadedMs)}; closing the import)`)
  }
  const report = await ingest({ datasetId: dataset.id, fileName: path.basename(csvPath), source: stream, onProgress })
  const ingestMs = performance.now() - ingestStarted
  stream.destroy()
  if (report.status !== 'succeeded' || report.rowsInserted !== rows) {
    throw new Error(`ingest ${report.status}: inserted ${report.rowsInserted} of ${rows} rows${report.error ? `: ${report.error}` : ''}`)
  }

  const ingestRate = rows / (ingestMs / 1000)
  const ingestRatio = ingestRate / copyRate
  console.log(row('pipeline: ingest() of the CSV file', seconds(ingestMs), grouped(ingestRate), `${ingestRatio.toFixed(2)}×`))
  if (!Number.isNaN(loadedMs)) {
    console.log(row('  of which loading the rows (≈, 0.5 s ticks)', seconds(loadedMs), grouped(rows / (loadedMs / 1000)), `${(copyMs / loadedMs).toFixed(2)}×`))
    console.log(row('  of which closing (findings refresh, commit)', seconds(ingestMs - loadedMs), '', ''))
  }
  console.log(`  (COPY text ${megabytes(copyBytes)}; target ≥ ${target.ingestRatio}× of \\copy: ${ingestRatio >= target.ingestRatio ? 'met' : 'NOT met'})`)

  // 4. Detection over the loaded events. VACUUM ANALYZE brings the tables to the state
  // autovacuum leaves them in shortly after a load (statistics, visibility map).
  const pool = await getPool()
  await pool.query('VACUUM ANALYZE sign_in_events')
  await pool.query('VACUUM ANALYZE sign_in_hourly_rollup')
  const rollupRows = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_hourly_rollup')).rows[0].n
  const app = await timeAppDetection(dataset.id, options.runs)
  const baseline = await timeBaselineDetection(dataset.id, options.baselineRuns)
  const difference = firstDifference(app.result, baseline.result)
  console.log(`\ndetection: reference rule, default settings, over ${grouped(rows)} events (${grouped(rollupRows)} rollup rows)`)
  console.log(row('', 'median', 'runs', 'vs baseline'))
  console.log(row('baseline: events, index scans off', millis(baseline.median), String(options.baselineRuns), '1.00×'))
  console.log(row('app: findEnumeration (rollup path)', millis(app.median), String(options.runs), `${(app.median / baseline.median).toFixed(3)}×`))
  console.log(`  (${(baseline.median / app.median).toFixed(0)}× faster; runs: ${app.ms.map((m) => Math.round(m)).join(', ')} ms; target < ${target.detectionMs} ms: ${app.median < target.detectionMs ? 'met' : 'NOT met'})`)
  console.log(`  findings: ${app.result.length} (${verdictLine(verdictCounts(app.result))}); identical to the baseline's: ${difference ? `NO — ${difference}` : 'yes'}`)

  // 5. One source probing for days: the window queries of the recompute, each beside the
  // pairwise form it replaced, and the whole refresh of that dataset.
  let windowsSame = true
  if (options.longDays > 0) {
    const started = performance.now()
    const long = await loadLongSource(options.longDays)
    await pool.query('VACUUM ANALYZE sign_in_events')
    await pool.query('VACUUM ANALYZE sign_in_hourly_rollup')
    console.log(`\none source probing for days: ${options.longDays} days, ${grouped(long.events)} events, an attempt every 10 s on 500 names (loaded in ${seconds(performance.now() - started)})`)
    console.log(row('', 'median', 'runs', 'vs baseline'))
    for (const t of await timeWindowQueries(long.datasetId, options.runs, 1)) {
      console.log(row(`baseline: ${t.label}, pairwise`, millis(t.baseline.median), '1', '1.00×'))
      console.log(row(`app: ${t.label}, sweep`, millis(t.app.median), String(options.runs), `${(t.app.median / t.baseline.median).toFixed(3)}×`))
      console.log(`  (${t.app.result.length} windows; identical to the baseline's: ${t.same ? 'yes' : 'NO'})`)
      windowsSame &&= t.same
    }
    const refresh = await timeRefresh(long.datasetId, 3)
    console.log(row('app: full recompute (recomputeDataset)', millis(refresh.median), '3', ''))
    console.log(`  (${grouped(refresh.result)} findings; runs: ${refresh.ms.map((m) => Math.round(m)).join(', ')} ms)`)
  }
  if (options.keep) console.log(`\nkept: ${dir}, databases ${benchDb} and ${copyDb}`)
  return !difference && windowsSame
}

let ok = false
try {
  ok = await main()
} catch (error) {
  console.error(`bench failed: ${(error as Error).stack ?? error}`)
} finally {
  await cleanup()
}
process.exit(ok ? 0 : 1)
