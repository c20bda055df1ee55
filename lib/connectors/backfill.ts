import type { Actor } from '@/lib/auth/actor'
import { recordAudit } from '@/lib/auth/audit'
import { getPrisma } from '@/lib/db/database'
import { RequestError } from '@/lib/errors'
import { holderColumns, orphanedBackfills } from './connector-lease'
import { INGESTION_LAG_MINUTES, type ConnectorKind } from './connector-settings'
import { runBackfill, windowSlices, type RunOptions, type RunResult } from './run-connector'

/**
 * "Pull 2026-03-01 to 2026-03-09 into this dataset": a one-off run over a chosen window beside
 * the scheduled stream. It never moves the stream's watermark, keeps its own progress (a crash
 * resumes it where it stopped), and stores each event once like any pull (events are unique per
 * dataset and source event id, so overlapping the stream or an earlier backfill costs nothing).
 */

/**
 * How far back each service can still answer. Graph keeps sign-ins 30 days (P1/P2 tenants, which
 * the API needs); Log Analytics keeps them as long as the workspace's retention, up to two years
 * of interactive retention (730 days). A LogScale repository's retention is its own setting,
 * unknown here: no limit is checked, and events older than the repository keeps are not served.
 */
export const RETENTION_DAYS: Record<ConnectorKind, number | null> = { graph: 30, log_analytics: 730, logscale: null }

const RETENTION_TEXT: Record<ConnectorKind, string> = {
  graph: 'Microsoft Graph keeps sign-ins for 30 days',
  log_analytics: 'Log Analytics keeps sign-ins for at most two years (730 days; your workspace retention may be shorter)',
  logscale: 'LogScale serves what the repository retains',
}

export interface BackfillWindow {
  from: Date
  to: Date
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/

/**
 * A window as an analyst types it: dates (UTC days; `to` includes its whole day, so
 * 2026-03-01 to 2026-03-09 is nine days) or ISO 8601 times with a zone (`to` exclusive).
 */
export function parseBackfillWindow(from: unknown, to: unknown): BackfillWindow {
  const parse = (value: unknown, name: string, end: boolean): Date => {
    const text = typeof value === 'string' ? value.trim() : ''
    if (DATE_ONLY.test(text)) {
      const day = new Date(`${text}T00:00:00Z`)
      if (!Number.isNaN(day.getTime()) && day.toISOString().startsWith(text)) return end ? new Date(day.getTime() + 86_400_000) : day
    } else if (DATE_TIME.test(text)) {
      const time = new Date(text.replace(' ', 'T'))
      if (!Number.isNaN(time.getTime()) && time.getUTCFullYear() >= 1970) return time
    }
    throw new RequestError(400, `${name} must be a date (2026-03-01) or a time with its zone (2026-03-01T06:00:00Z), not ${JSON.stringify(String(value ?? '')).slice(0, 60)}`)
  }
  return { from: parse(from, 'from', false), to: parse(to, 'to', true) }
}

/** Why a window cannot be pulled, or null. */
export function backfillWindowProblem(kind: ConnectorKind, window: BackfillWindow, now = new Date()): string | null {
  const { from, to } = window
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return 'from and to must be dates (ISO 8601, e.g. 2026-03-01 or 2026-03-01T06:00:00Z)'
  if (from >= to) return 'the window must end after it starts'
  const latest = new Date(now.getTime() - INGESTION_LAG_MINUTES[kind] * 60_000)
  if (to > latest) return `the window must end by ${latest.toISOString()}: sign-ins reach the service up to ${INGESTION_LAG_MINUTES[kind]} minutes late, and a slice is pulled once it has settled (later sign-ins come with the scheduled pulls)`
  const days = RETENTION_DAYS[kind]
  if (days !== null) {
    const earliest = new Date(now.getTime() - days * 86_400_000)
    if (from < earliest) return `the window starts before ${earliest.toISOString()}: ${RETENTION_TEXT[kind]}, so older sign-ins cannot be pulled`
  }
  return null
}

export function retentionNote(kind: ConnectorKind): string {
  return RETENTION_TEXT[kind]
}

/** Creates the backfill run (held by this process), audited; `runBackfill` then pulls it. */
export async function createBackfill(connectorId: number, window: BackfillWindow, actor: Actor | { system: string }, now = new Date()): Promise<number> {
  const startedById = 'system' in actor ? null : actor.user.id
  const prisma = await getPrisma()
  const connector = await prisma.connector.findUnique({ where: { id: connectorId }, include: { dataset: { select: { name: true } } } })
  if (!connector) throw new RequestError(404, `no connector ${connectorId}`)
  if (!connector.enabled) throw new RequestError(409, `connector ${connector.name} is disabled`)
  if (!connector.secretCiphertext) throw new RequestError(400, 'this connector has no secret yet')
  const problem = backfillWindowProblem(connector.kind as ConnectorKind, window, now)
  if (problem) throw new RequestError(400, problem)
  return prisma.$transaction(async (tx) => {
    // One backfill per connector at a time, so two cannot race over the same slices.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('connector-backfill'), ${connectorId}::int)::text`
    const running = await tx.connectorRun.findFirst({ where: { connectorId, backfill: true, status: 'running' } })
    if (running) {
      const orphaned = (await orphanedBackfills()).includes(running.id)
      throw new RequestError(
        409,
        orphaned
          ? `backfill run ${running.id} of ${connector.name} was interrupted (its process is gone): the app's scheduler resumes it within a minute, or resume it now with \`npm run cli -- connectors backfill ${connector.name} --resume ${running.id}\``
          : `a backfill of ${connector.name} is running (run ${running.id}); wait for it to finish`,
      )
    }
    const run = await tx.connectorRun.create({
      data: {
        connectorId,
        startedById,
        backfill: true,
        windowFrom: window.from,
        windowTo: window.to,
        slicesTotal: windowSlices(window.from, window.to, connector.sliceMinutes).length,
        ...holderColumns(),
      },
    })
    await recordAudit(tx, actor, 'connector.backfill', { type: 'connector', id: connectorId }, null, {
      run: run.id,
      dataset: connector.dataset.name,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
    })
    return run.id
  })
}

/** Creates and runs a backfill to its end (the CLI; the API starts `runBackfill` in the background). */
export async function backfillNow(connectorId: number, window: BackfillWindow, actor: Actor | { system: string }, options: RunOptions = {}): Promise<RunResult> {
  const runId = await createBackfill(connectorId, window, actor, options.now)
  return runBackfill(runId, { ...options, startedById: 'system' in actor ? null : actor.user.id })
}
