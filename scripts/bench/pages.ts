import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import http from 'node:http'
import path from 'node:path'
import { createSession, SESSION_COOKIE } from '@/lib/auth/sessions'
import { createUser } from '@/lib/auth/users'
import { getPool } from '@/lib/db/database'
import { buildIfNeeded } from '../build-if-needed'

/**
 * Pages and API routes under load: the built app (`next start`) on loopback against the bench
 * database, a signed-in session, and `concurrency` clients each sending its next request as soon
 * as the last one answered, for `seconds` per route (what autocannon does, without adding it as a
 * dependency). Every route is measured beside `/api/auth/me` (a session check and one row: the
 * floor any route pays) in the same run.
 */

export interface RouteTiming {
  route: string
  requests: number
  errors: number
  p50: number
  p95: number
  p99: number
  perSecond: number
}

export interface AppServer {
  origin: string
  cookie: string
  stop(): Promise<void>
}

export async function startApp(root: string, databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<AppServer> {
  buildIfNeeded(root, (line) => console.log(`  ${line}`))
  const user = await createUser({ email: `bench-${Date.now()}@example.com`, role: 'viewer', password: undefined })
  const { token } = await createSession(user.id)
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const origin = `http://127.0.0.1:${port}`
  const cookie = `${SESSION_COOKIE}=${token}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`)
    const ok = await fetch(`${origin}/api/auth/me`, { headers: { cookie } }).then((r) => r.ok, () => false)
    if (ok) break
    if (Date.now() > deadline) throw new Error('next start did not answer within 60 s')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    origin,
    cookie,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/**
 * `concurrency` clients on one route for `seconds` (after one warm-up request), over node:http
 * with kept-alive connections, as autocannon sends them: the load generator shares the server's
 * cores, and fetch() cost it 3–4 ms of CPU a page request (WHATWG streams, and gunzipping what
 * it asked compressed) against ~0.7 ms here. It asks for gzip as a browser does, so the server
 * compresses as it would for one, and reads the body without decoding it.
 */
export async function loadRoute(app: AppServer, route: string, concurrency: number, seconds: number): Promise<RouteTiming> {
  const { hostname, port } = new URL(app.origin)
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const get = () =>
    new Promise<boolean>((resolve, reject) => {
      const request = http.get({ hostname, port, path: route, agent, headers: { cookie: app.cookie, 'accept-encoding': 'gzip, deflate, br' } }, (response) => {
        response.on('data', () => {})
        response.on('end', () => resolve(response.statusCode === 200))
        response.on('error', reject)
      })
      request.on('error', reject)
    })
  if (!(await get())) throw new Error(`GET ${route} did not answer 200`)
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now()
        const ok = await get().catch(() => false)
        latencies.push(performance.now() - t)
        if (!ok) errors++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return { route, requests: latencies.length, errors, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), perSecond: latencies.length / elapsed }
}

/**
 * The routes of the bench dataset worth loading: one of each page and its API twin, and the
 * findings table searched for `search` (a name the biggest finding counted outside its sample).
 */
export async function benchRoutes(datasetId: number, search: string | null = null): Promise<string[]> {
  const pool = await getPool()
  const finding = (await pool.query<{ id: number; ip: string }>(
    `SELECT id, host(ip_address) AS ip FROM findings WHERE dataset_id = $1 ORDER BY unique_usernames DESC, id LIMIT 1`,
    [datasetId],
  )).rows[0]
  const campaign = (await pool.query<{ id: number }>('SELECT id FROM campaigns WHERE dataset_id = $1 ORDER BY unique_usernames DESC, id LIMIT 1', [datasetId])).rows[0]
  const routes = [
    '/',
    `/?dataset=${datasetId}`,
    '/datasets',
    `/datasets/${datasetId}`,
    `/api/datasets/${datasetId}`,
    '/findings',
    '/api/findings',
  ]
  if (search) routes.push(`/findings?mode=extended&q=${encodeURIComponent(search)}`, `/api/findings?mode=extended&q=${encodeURIComponent(search)}`)
  routes.push('/campaigns', '/api/campaigns')
  if (finding) routes.push(`/findings/${finding.id}`, `/api/findings/${finding.id}`, `/ips/${encodeURIComponent(finding.ip)}`, `/api/ips/${encodeURIComponent(finding.ip)}`)
  if (campaign) routes.push(`/campaigns/${campaign.id}`, `/api/campaigns/${campaign.id}`)
  return routes
}
