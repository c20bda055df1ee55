import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { getPool } from '@/lib/db/database'
import { explainRoutes } from './explain-routes'
import { benchRoutes, loadRoute, startApp, type RouteTiming } from './pages'
import { grouped, millis, row } from './report'
import { explainSearch, pickSearchTerm, timeSearch } from './username-search'

/**
 * The pages part of the bench, shared by `npm run bench` (on the database it just loaded) and
 * `npm run bench:pages` (on an existing database): the username search beside its scan, every
 * route under `clients` concurrent clients beside the floor `/api/auth/me`, and (`explain`) what
 * each route's statements read.
 */

export interface PagesPartOptions {
  root: string
  databaseUrl: string
  datasetId: number
  clients: number
  pageSeconds: number
  port: number
  /** Only the routes containing one of these texts (none: all). */
  only?: string[]
  load: boolean
  explain: boolean
  searchRuns: number
}

export interface PagesPartResult {
  slowestP95: number
  searchSame: boolean
}

const P95_TARGET_MS = 200

/**
 * The tables each recompute rewrites, which the pages read: a full recompute leaves 4-5 dead
 * versions of every finding behind it (and of the campaign sources' totals), which autovacuum
 * clears within a minute on a server that runs it. This machine's server runs without it, and a
 * 10 M bench database's findings, 2 MB of rows, took 31 MB that every statement over the
 * dataset's findings read (3,500-4,000 buffers; the overview 58 → 36 ms alone once vacuumed).
 */
const DERIVED_TABLES = [
  'findings',
  'finding_escalations',
  'triage_records',
  'campaigns',
  'campaign_sources',
  'campaign_hours',
  'campaign_accounts',
  'campaign_source_totals',
  'overview_activity',
  'dataset_derived_state',
  'import_jobs',
  'datasets',
]

export async function runPagesPart(o: PagesPartOptions): Promise<PagesPartResult> {
  // The state autovacuum leaves the recompute's tables in (the events were vacuumed after loading).
  const pool = await getPool()
  await pool.query(`VACUUM ANALYZE ${DERIVED_TABLES.join(', ')}`)
  // Username search: the findings table's statement, with the trigram index and without.
  const search = await pickSearchTerm(o.datasetId)
  let searchSame = true
  if (search && o.searchRuns > 0) {
    const app = await timeSearch(o.datasetId, search.term, o.searchRuns, true)
    const scan = await timeSearch(o.datasetId, search.term, Math.min(3, o.searchRuns), false)
    const plan = await explainSearch(o.datasetId, search.term)
    searchSame = JSON.stringify(app.findingIds) === JSON.stringify(scan.findingIds)
    console.log(`\nusername search: "${search.term}" (${search.username}, counted by finding ${search.findingId} outside its sample), as /findings?mode=extended&q= runs it`)
    console.log(row('', 'median', 'runs', 'vs baseline'))
    console.log(row('baseline: same statement, index scans off', millis(scan.median), String(scan.ms.length), '1.00×'))
    console.log(row('app: list-findings.sql (trigram index)', millis(app.median), String(app.ms.length), `${(app.median / scan.median).toFixed(3)}×`))
    console.log(`  (${app.findingIds.length} findings, finding ${search.findingId} among them: ${app.findingIds.includes(search.findingId) ? 'yes' : 'NO'}; identical to the baseline's: ${searchSame ? 'yes' : 'NO'})`)
    console.log(`  (EXPLAIN: ${millis(plan.ms)}, ${grouped(plan.sharedBlocks)} shared buffers, indexes: ${plan.indexes.join(', ') || 'none'})`)
    searchSame &&= app.findingIds.includes(search.findingId)
  }

  const routes = (await benchRoutes(o.datasetId, search?.term ?? null)).filter((r) => !o.only?.length || o.only.some((text) => r.includes(text)))
  let slowest = 0
  if (o.load) {
    console.log(`\npages: ${o.clients} concurrent clients, ${o.pageSeconds} s a route, next start on loopback`)
    const app = await startApp(o.root, o.databaseUrl, o.port)
    try {
      console.log(row('', 'p95', 'p50 / p99', 'req/s', '÷ its floor'))
      // Two floors: an API route pays the session check; a page pays that, the layout and the
      // App Router's render of it (/forbidden: the nav and one paragraph, no query of its own).
      let apiFloor = Number.NaN
      let pageFloor = Number.NaN
      const show = (t: RouteTiming, label = t.route) => {
        const floor = t.route.startsWith('/api/') ? apiFloor : pageFloor
        console.log(
          row(label, millis(t.p95), `${Math.round(t.p50)} / ${Math.round(t.p99)} ms`, `${t.perSecond.toFixed(1)}${t.errors ? ` (${t.errors} errors)` : ''}`, `${(t.p95 / floor).toFixed(1)}×`),
        )
      }
      const before = await loadRoute(app, '/api/auth/me', o.clients, o.pageSeconds)
      apiFloor = before.p95
      show(before, 'baseline: /api/auth/me')
      const bare = await loadRoute(app, '/forbidden', o.clients, o.pageSeconds)
      pageFloor = bare.p95
      show(bare, 'baseline: a bare page, /forbidden')
      for (const route of routes) {
        const t = await loadRoute(app, route, o.clients, o.pageSeconds)
        show(t)
        slowest = Math.max(slowest, t.p95)
      }
      show(await loadRoute(app, '/api/auth/me', o.clients, o.pageSeconds), 'baseline: /api/auth/me, again')
      show(await loadRoute(app, '/forbidden', o.clients, o.pageSeconds), 'baseline: /forbidden, again')
      console.log(`  (slowest p95 ${millis(slowest)}; target < ${P95_TARGET_MS} ms: ${slowest < P95_TARGET_MS ? 'met' : 'NOT met'})`)
    } finally {
      await app.stop()
    }
  }

  if (o.explain) {
    // A server of its own with the SQL trace, so the trace costs the load nothing.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'et-bench-trace-'))
    const traceFile = path.join(dir, 'statements.jsonl')
    const app = await startApp(o.root, o.databaseUrl, o.port, {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(o.root, 'scripts', 'bench', 'trace-sql.cjs')}`.trim(),
      ET_TRACE_SQL_FILE: traceFile,
    })
    try {
      console.log('\nwhat each route reads: EXPLAIN (ANALYZE, BUFFERS) of every statement one request sent')
      console.log(row('', 'alone, size', 'statements', 'exec ms', 'buffers', 'events / rollup rows'))
      for (const r of await explainRoutes(app, traceFile, routes)) {
        const big = `${grouped(r.bigRows.sign_in_events ?? 0)} / ${grouped(r.bigRows.sign_in_hourly_rollup ?? 0)}`
        console.log(row(r.route, `${Math.round(r.responseMs)} ms, ${grouped(r.bytes / 1000)} kB`, String(r.statements.length), r.ms.toFixed(1), grouped(r.sharedBlocks), big))
        for (const s of r.statements) {
          const rows = Object.entries(s.bigRows).map(([t, n]) => `${t} ${grouped(n)}`).join(', ')
          console.log(`      ${s.ms.toFixed(1).padStart(8)} ms ${grouped(s.sharedBlocks).padStart(8)} buf  ${s.label}${rows ? `  [${rows}]` : ''}`)
        }
      }
    } finally {
      await app.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
  return { slowestP95: slowest, searchSame }
}
