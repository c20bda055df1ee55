import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import pg from 'pg'
import { closeDatabase, getPool } from '@/lib/db/database'
import { deleteDataset, findOrCreateDataset } from '@/lib/datasets/datasets'
import { projectRoot } from '@/lib/db/project-root'
import { BARE_TABLE, copyWithPgCopyStreams, copyWithPsql, prepareBareTable, psqlAvailable, writeBaselineCopyText } from './bench/copy-baseline'
import type { IngestFilesResult } from './bench/ingest-files'
import { runPagesPart } from './bench/pages-part'
import { timeCampaignEscalations } from './bench/campaign-escalations'
import { checkpoint, createDatabase, databaseUrl, dropDatabase, openServer, serverFacts, uniqueDatabaseName } from './bench/databases'
import { firstDifference, timeAppDetection, timeBaselineDetection, verdictCounts } from './bench/detection'
import { loadLongSource, timeRefresh, timeWindowQueries } from './bench/long-source'
import { DATA_START, EVENTS_PER_HOUR, writePortalCsv } from './bench/portal-csv'
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
  .option('--rows <n>', 'rows in the generated portal export', positiveInt, 1_000_000)
  .option('--files <n>', 'files the export comes in (the portal caps one download at 100,000 rows)', positiveInt, 21)
  .option('--days <n>', 'days the rows span (default: ~16,000 rows an hour)', positiveInt)
  .option('--ten-million', 'the incident-scale run: 10,000,000 rows over 30 days in 100 files (hours on a small machine)')
  .option('--no-pages', 'leave out the pages and API routes under load (they need a next build)')
  .option('--clients <n>', 'concurrent clients per route', positiveInt, 20)
  .option('--page-seconds <n>', 'seconds of load per route', positiveInt, 10)
  .option('--port <n>', 'port of the app under load', positiveInt, 3917)
  .option('--seed <n>', 'seed of the generated data', positiveInt, 20_261_128)
  .option('--runs <n>', 'timed detection runs (the median is reported)', positiveInt, 7)
  .option('--baseline-runs <n>', 'timed runs of the detection baseline', positiveInt, 3)
  .option('--csv <files...>', 'use these sign-in files instead of generating an export (--rows is then ignored; no hour is appended)')
  .option('--dir <dir>', 'where the generated files go (default: a new folder under the OS temp dir)')
  .option('--long-days <n>', 'days of the source probing around the clock (0: leave that part out)', nonNegativeInt, 14)
  .option('--keep', 'keep the generated files and the bench databases')
  .parse()
  .opts<{
    rows: number
    files: number
    days?: number
    tenMillion?: boolean
    pages: boolean
    clients: number
    pageSeconds: number
    port: number
    seed: number
    runs: number
    baselineRuns: number
    longDays: number
    csv?: string[]
    dir?: string
    keep?: boolean
  }>()
if (options.tenMillion) Object.assign(options, { rows: 10_000_000, days: 30, files: 100 })

const target = { ingestRatio: 0.2, detectionMs: 500, bytesPerEvent: 600 }
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

async function countRows(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n
  } finally {
    await client.end()
  }
}

/** ingest() of the files in a process of its own (scripts/bench/ingest-files.ts), so its peak RSS is the import's. */
async function ingestInChild(url: string, dataset: string, files: string[]): Promise<IngestFilesResult> {
  // As `npm run cli` runs (package.json): V8 grows the heap to twice what a collection leaves live,
  // not four times, which kept an import's peak RSS under 300 MB for ~5 % more CPU.
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['--heap-growing-percent=100', path.join(root, 'scripts', 'bench', 'ingest-files.ts'), dataset, ...files], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`ingest of ${files.length} files failed (exit ${code})`)
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as IngestFilesResult
}

const root = projectRoot()

async function main(): Promise<boolean> {
  const server = await openServer()
  if (server.embedded?.owned) cleanups.push(() => server.embedded!.stop())
  const facts = await serverFacts(server.adminUrl)
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  console.log(`server:  ${facts.version.split(' on ')[0]}${server.embedded ? ' (embedded)' : ''}; ${Object.entries(facts.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`)

  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'et-bench-')))
  // --dir may name a folder that does not exist yet.
  if (options.dir) await mkdir(dir, { recursive: true })
  if (!options.keep) temporary.push(options.dir ? path.join(dir, 'baseline.copy') : dir)
  if (!options.keep) cleanups.push(() => (options.dir ? Promise.resolve() : rm(dir, { recursive: true, force: true })))

  // 1. The data: a portal export in files, and one more hour to append.
  let files: string[]
  let appendFile: string | null = null
  if (!options.csv) {
    const started = performance.now()
    const csvPath = path.join(dir, 'InteractiveSignIns_bench.csv')
    const hours = options.days ? options.days * 24 : undefined
    const generated = await writePortalCsv(csvPath, { rows: options.rows, seed: options.seed, files: options.files, hours })
    files = generated.paths
    appendFile = path.join(dir, 'InteractiveSignIns_next_hour.csv')
    await writePortalCsv(appendFile, { rows: EVENTS_PER_HOUR, seed: options.seed + 1, hours: 1, start: new Date(DATA_START.getTime() + generated.hours * 3_600_000) })
    if (!options.keep && options.dir) cleanups.push(() => Promise.all([...files, appendFile!].map((f) => rm(f, { force: true }))))
    const b = generated.bursts
    console.log(
      `\ndata:    ${grouped(generated.rows)} rows in ${files.length} files, ${megabytes(generated.bytes)} portal CSV (55 columns), ${generated.hours} hours, ${grouped(generated.users)} users, ` +
        `${grouped(generated.ruleCodeRows)} rows with the rule's codes; bursts: ${b.high} high, ${b.moderate} moderate, ${b.low} low, ${b['near-miss']} near misses ` +
        `(generated in ${seconds(performance.now() - started)}) → ${dir}`,
    )
  } else {
    files = options.csv.map((f) => path.resolve(f))
    let bytes = 0
    for (const f of files) bytes += (await stat(f)).size
    console.log(`\ndata:    ${files.length} files, ${megabytes(bytes)} (no hour to append)`)
  }

  // 2. Ingest baseline: psql \copy of the normalised rows into a bare table of a database of its own.
  const baseName = uniqueDatabaseName()
  const copyDb = `${baseName}_copy`
  const copyUrl = databaseUrl(server.adminUrl, copyDb)
  await createDatabase(server.adminUrl, copyDb)
  created.push({ adminUrl: server.adminUrl, name: copyDb })
  if (!options.keep) cleanups.push(() => dropDatabase(server.adminUrl, copyDb))
  await prepareBareTable(copyUrl)
  const copyFile = path.join(dir, 'baseline.copy')
  if (!options.keep) cleanups.push(() => rm(copyFile, { force: true }))
  const rows = await writeBaselineCopyText(files, copyFile)
  const copyBytes = (await stat(copyFile)).size
  const usePsql = psqlAvailable()
  if (!usePsql) console.log('psql not found on PATH: the ingest baseline falls back to pg-copy-streams (COPY FROM STDIN from Node)')
  await checkpoint(copyUrl).catch(() => {})
  const copyMs = usePsql ? await copyWithPsql(copyUrl, copyFile) : await copyWithPgCopyStreams(copyUrl, copyFile)
  const copyRate = rows / (copyMs / 1000)
  console.log(`\ningest:  ${grouped(rows)} rows in ${files.length} files`)
  console.log(row('', 'time', 'rows/s', 'vs \\copy'))
  console.log(row(`baseline: ${usePsql ? 'psql \\copy' : 'COPY (pg-copy-streams)'} into a bare table`, seconds(copyMs), grouped(copyRate), '1.00×'))
  const copied = await countRows(copyUrl, BARE_TABLE)
  if (copied !== rows) throw new Error(`the baseline loaded ${copied} rows, expected ${rows}`)
  if (!options.keep) {
    await dropDatabase(server.adminUrl, copyDb) // frees its disk before the pipeline loads the same rows
    await rm(copyFile, { force: true })
  }

  // 3. Ingest: the real pipeline, file after file, as the CLI runs it, in a process of its own.
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
  const ingestStarted = performance.now()
  const ingested = await ingestInChild(benchUrl, 'bench', files)
  const ingestMs = performance.now() - ingestStarted
  const inserted = ingested.files.reduce((n, f) => n + f.inserted, 0)
  if (inserted !== rows) throw new Error(`ingest inserted ${inserted} of ${rows} rows`)
  const loadedMs = ingested.files.reduce((n, f) => n + (f.loadedMs ?? f.ms), 0)
  const closingMs = ingested.files.reduce((n, f) => n + f.ms - (f.loadedMs ?? f.ms), 0)

  const ingestRate = rows / (ingestMs / 1000)
  const ingestRatio = ingestRate / copyRate
  const loadRatio = copyMs / loadedMs
  console.log(row(`pipeline: ingest() of the ${files.length} files`, seconds(ingestMs), grouped(ingestRate), `${ingestRatio.toFixed(2)}×`))
  console.log(row('  of which loading the rows (≈, 0.5 s ticks)', seconds(loadedMs), grouped(rows / (loadedMs / 1000)), `${loadRatio.toFixed(2)}×`))
  console.log(row(`  of which closing ${files.length} imports`, seconds(closingMs), '', ''))
  console.log(row('  of which the recompute after the last file', seconds(ingested.recomputeMs), '', ''))
  console.log(`  (per file, loading + closing: ${ingested.files.map((f) => `${seconds(f.loadedMs ?? f.ms)}+${seconds(f.ms - (f.loadedMs ?? f.ms))}`).join(', ')})`)
  console.log(`  (bare COPY text ${megabytes(copyBytes)}; peak RSS of the importing process ${megabytes(ingested.maxRssBytes)}, target < 300 MB: ${ingested.maxRssBytes < 300e6 ? 'met' : 'NOT met'})`)
  console.log(`  (target ≥ ${target.ingestRatio}× of \\copy: loading ${loadRatio >= target.ingestRatio ? 'met' : 'NOT met'}, whole ${ingestRatio >= target.ingestRatio ? 'met' : 'NOT met'})`)

  const pool = await getPool()
  const sizes = (await pool.query<{ name: string; bytes: string }>(
    // A partitioned table (by dataset) holds nothing itself: its size is its partitions'.
    `SELECT c.relname AS name, sum(pg_total_relation_size(t.oid))::text AS bytes FROM pg_class c
      CROSS JOIN LATERAL (SELECT c.oid UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = c.oid) t(oid)
      WHERE c.relname IN ('sign_in_events', 'sign_in_record_blocks', 'sign_in_hourly_summary', 'sign_in_hourly_rollup', 'user_agents') GROUP BY 1 ORDER BY 1`,
  )).rows
  const size = (name: string) => Number(sizes.find((s) => s.name === name)?.bytes ?? 0)
  const perEvent = (n: number) => `${Math.round(n / rows)} B/event`
  // user_agents: the events' user agents, once each per dataset (docs/database.md "Event storage").
  const eventBytes = size('sign_in_events') + size('sign_in_record_blocks') + size('sign_in_hourly_summary') + size('user_agents')
  console.log(`\nstorage: ${grouped(rows)} events, tables with their indexes and TOAST`)
  for (const s of sizes) console.log(row(`  ${s.name}`, megabytes(Number(s.bytes)), perEvent(Number(s.bytes)), ''))
  console.log(`  events + original records + summary + user agents: ${perEvent(eventBytes)} (target ≤ ${target.bytesPerEvent} B: ${eventBytes / rows <= target.bytesPerEvent ? 'met' : 'NOT met'}); with the rollup ${perEvent(eventBytes + size('sign_in_hourly_rollup'))}`)

  // 4. Detection over the loaded events. VACUUM ANALYZE brings the tables to the state
  // autovacuum leaves them in shortly after a load (statistics, visibility map).
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

  // 5. A full recompute of the dataset's findings, and one more hour appended (with the
  // incremental recompute that follows it, as the CLI waits for it).
  const recompute = await timeRefresh(dataset.id, 1)
  console.log(`\nrecompute and append, on ${grouped(rows)} events`)
  console.log(row('', 'time', '', 'target'))
  console.log(row('full recompute (recomputeDataset, full)', seconds(recompute.median), `${grouped(recompute.result)} findings`, `< 30 s: ${recompute.median < 30_000 ? 'met' : 'NOT met'}`))
  if (appendFile) {
    const appended = await ingestInChild(benchUrl, 'bench', [appendFile])
    const f = appended.files[0]
    const total = f.ms + appended.recomputeMs
    console.log(row('append one hour: ingest() + recompute', seconds(total), `${grouped(f.inserted)} rows`, `< 2 s: ${total < 2_000 ? 'met' : 'NOT met'}`))
    console.log(`  (loading ${seconds(f.loadedMs ?? f.ms)}, closing the import ${seconds(f.ms - (f.loadedMs ?? f.ms))}, incremental recompute ${seconds(appended.recomputeMs)})`)
  }
  // An append that changes a campaign's addresses puts every finding of the campaign in the
  // escalations' scope: the scoped path must not cost more than the full recompute's one pass.
  const escalations = await timeCampaignEscalations(dataset.id)
  if (escalations) {
    console.log(row(`escalations, a campaign's ${grouped(escalations.campaignFindings)} findings (scoped)`, seconds(escalations.scopedMs), '', `${(escalations.scopedMs / escalations.fullMs).toFixed(2)}× of the one pass`))
    console.log(`  (the biggest campaign; baseline: the full recompute's one pass over all ${grouped(escalations.datasetFindings)} findings ${seconds(escalations.fullMs)}; the campaign's escalations identical: ${escalations.same ? 'yes' : 'NO'})`)
  }

  // 6. Username search beside its scan, then pages and API routes under 20 concurrent clients,
  // each beside /api/auth/me (scripts/bench/pages-part.ts; `npm run bench:pages` runs it alone).
  let searchSame = true
  if (options.pages) {
    const pages = await runPagesPart({
      root,
      databaseUrl: benchUrl,
      datasetId: dataset.id,
      clients: options.clients,
      pageSeconds: options.pageSeconds,
      port: options.port,
      load: true,
      explain: false,
      searchRuns: options.runs,
    })
    searchSame = pages.searchSame
  }

  // 7. One source probing for days: the window queries of the recompute, each beside the
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
  // 8. Deleting the dataset, everything it holds with it.
  if (!options.keep) {
    const started = performance.now()
    await deleteDataset(dataset.id)
    const ms = performance.now() - started
    console.log(`\ndelete the dataset (${grouped(rows)} events and all derived rows): ${seconds(ms)}; target < 10 s: ${ms < 10_000 ? 'met' : 'NOT met'}`)
  }
  if (options.keep) console.log(`\nkept: ${dir}, databases ${benchDb} and ${copyDb}`)
  return !difference && windowsSame && searchSame && (escalations?.same ?? true)
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
