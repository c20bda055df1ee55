import { rename, writeFile } from 'node:fs/promises'
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres'
import { statusFileFor, type SupervisorStatus } from './embedded-status'

export { readSupervisorStatus, statusFileFor, type SupervisorState, type SupervisorStatus } from './embedded-status'

/**
 * Keeps the embedded PostgreSQL of `npm start` running: when it dies (kill -9, a crash, the OOM
 * killer) it is started again on the same port and data folder (PostgreSQL's crash recovery
 * replays its log; nothing committed is lost), with a growing pause between failed attempts.
 * Its state goes to a small status file that the app server reads for /api/health and for the
 * "database restarting" page. The file holds no secret: state, times and counts only.
 */

export interface Supervisor {
  current(): EmbeddedServer
  status(): SupervisorStatus
  /** Resolves when the server is running again (at once when it is). */
  running(): Promise<void>
  stop(): Promise<void>
}

/** After this many failed attempts in a row the state says "failed" (attempts go on). */
const ATTEMPTS_BEFORE_FAILED = 10
const MAX_PAUSE_MS = 30_000

export function superviseEmbeddedPostgres(first: EmbeddedServer, options: { log?: (line: string) => void; statusFile?: string } = {}): Supervisor {
  const log = options.log ?? ((line: string) => console.log(line))
  const statusFile = options.statusFile ?? statusFileFor(first.dataDir)
  let server = first
  let stopped = false
  let status: SupervisorStatus = { state: 'running', since: new Date().toISOString(), restarts: 0, lastExit: null }
  let waiters: (() => void)[] = []

  const publish = (next: Partial<SupervisorStatus>) => {
    const changed = next.state !== undefined && next.state !== status.state
    status = { ...status, ...next, ...(changed ? { since: new Date().toISOString() } : {}) }
    const temporary = `${statusFile}.${process.pid}.tmp`
    void writeFile(temporary, JSON.stringify(status), { mode: 0o644 })
      .then(() => rename(temporary, statusFile))
      .catch((error: Error) => log(`[database] could not write ${statusFile}: ${error.message}`))
  }

  const restart = async () => {
    let attempts = 0
    while (!stopped) {
      attempts++
      try {
        server = await startEmbeddedPostgres({ dataDir: first.dataDir, port: first.port, exactPort: true })
        watch(server)
        publish({ state: 'running', restarts: status.restarts + 1 })
        log(`[database] the embedded PostgreSQL is running again (restart ${status.restarts})`)
        for (const wake of waiters) wake()
        waiters = []
        return
      } catch (error) {
        if (attempts >= ATTEMPTS_BEFORE_FAILED && status.state !== 'failed') publish({ state: 'failed' })
        const pause = Math.min(MAX_PAUSE_MS, 500 * 2 ** Math.min(attempts, 6))
        log(`[database] restart attempt ${attempts} failed: ${(error as Error).message.split('\n')[0]}; next in ${Math.round(pause / 1000)} s`)
        await new Promise((resolve) => setTimeout(resolve, pause))
      }
    }
  }

  const watch = (watched: EmbeddedServer) => {
    watched.onExit((code, signal) => {
      if (stopped || watched !== server) return
      const how = signal ? `signal ${signal}` : `exit code ${code}`
      log(`[database] the embedded PostgreSQL stopped (${how}); restarting it`)
      publish({ state: 'restarting', lastExit: how })
      void restart()
    })
  }

  watch(first)
  publish({})
  return {
    current: () => server,
    status: () => status,
    running: () => (status.state === 'running' ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    stop: async () => {
      stopped = true
      await server.stop()
    },
  }
}
