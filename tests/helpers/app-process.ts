import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { repoRoot } from './paths'

/**
 * The built app served as `npm start` serves it (scripts/serve.ts in front of Next.js, which
 * hands the app each connection's address) on a free loopback port. The build must exist:
 * tests/setup/app-server.ts builds it first.
 */
export interface AppProcess {
  url: string
  port: number
  /** Everything the server printed so far. */
  output(): string
  stop(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

async function waitForHttp(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${output.join('')}`)
    try {
      const response = await fetch(url)
      if (response.status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  throw new Error(`the app did not answer on ${url} within 2 minutes:\n${output.join('')}`)
}

export async function startAppProcess(options: { databaseUrl: string; env?: Record<string, string | undefined>; port?: number }): Promise<AppProcess> {
  const port = options.port ?? (await freePort())
  const url = `http://127.0.0.1:${port}`
  const output: string[] = []
  const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/serve.ts', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, NEXT_TELEMETRY_DISABLED: '1', ET_TRUSTED_PROXIES: undefined, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (c) => output.push(String(c)))
  child.stderr!.on('data', (c) => output.push(String(c)))
  await waitForHttp(url, child, output)
  return {
    url,
    port,
    output: () => output.join(''),
    stop: async () => {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    },
  }
}
