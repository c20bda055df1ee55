import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { createSession, SESSION_COOKIE } from '@/lib/auth/sessions'
import { createUser } from '@/lib/auth/users'
import { closeDatabase } from '@/lib/db/database'
import { projectRoot } from '@/lib/db/project-root'
import { loadRoute } from './pages'

/**
 * `DATABASE_URL=… npx tsx scripts/bench/page-profile.ts DIR ROUTE… [--clients N] [--seconds S]`:
 * where a page's server time goes. Starts `next start` under `node --cpu-prof` (profile in DIR),
 * signs in, then for each route: the mean time of 20 requests one at a time (the route's cost
 * alone) and `clients` concurrent clients for `seconds` (p50/p95), beside /api/auth/me.
 * It serves the build in .next as it is (`npm run build` first). Open the .cpuprofile in Chrome DevTools or summarise it by file and function.
 */
async function main() {
  const args = process.argv.slice(2)
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(name)
    if (i < 0) return fallback
    const value = Number(args[i + 1])
    args.splice(i, 2)
    return value
  }
  const clients = flag('--clients', 20)
  const seconds = flag('--seconds', 5)
  const [dir, ...routes] = args
  const url = process.env.DATABASE_URL
  if (!url || !dir || routes.length === 0) throw new Error('usage: DATABASE_URL=… page-profile.ts DIR ROUTE…')
  const root = projectRoot()
  mkdirSync(dir, { recursive: true })
  const user = await createUser({ email: `profile-${Date.now()}@example.com`, role: 'viewer', password: undefined })
  const { token } = await createSession(user.id)
  const port = 3931
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`, path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const app = { origin: `http://127.0.0.1:${port}`, cookie: `${SESSION_COOKIE}=${token}`, stop: async () => {} }
  for (let i = 0; ; i++) {
    if (await fetch(`${app.origin}/api/auth/me`, { headers: { cookie: app.cookie } }).then((r) => r.ok, () => false)) break
    if (i > 240) throw new Error('next start did not answer')
    await new Promise((r) => setTimeout(r, 250))
  }
  try {
    for (const route of ['/api/auth/me', ...routes]) {
      const one = async () => {
        const t = performance.now()
        const r = await fetch(app.origin + route, { headers: { cookie: app.cookie }, redirect: 'manual' })
        const bytes = (await r.arrayBuffer()).byteLength
        return { ms: performance.now() - t, bytes, status: r.status }
      }
      for (let i = 0; i < 3; i++) await one()
      const alone: number[] = []
      let bytes = 0
      for (let i = 0; i < 20; i++) {
        const r = await one()
        alone.push(r.ms)
        bytes = r.bytes
      }
      alone.sort((a, b) => a - b)
      const load = clients > 0 ? await loadRoute(app, route, clients, seconds) : null
      console.log(
        `${route.padEnd(44)} alone median ${alone[10].toFixed(1).padStart(6)} ms  ${(bytes / 1000).toFixed(1).padStart(7)} kB` +
          (load ? `  | ${clients} clients p50 ${load.p50.toFixed(0).padStart(5)} p95 ${load.p95.toFixed(0).padStart(5)} ms ${load.perSecond.toFixed(0).padStart(4)}/s${load.errors ? ` ${load.errors} errors` : ''}` : ''),
      )
    }
  } finally {
    child.kill('SIGINT')
    await once(child, 'exit')
    await closeDatabase()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
