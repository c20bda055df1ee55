import { getPool, getPrisma } from '@/lib/db/database'
import { recomputeDataset } from '@/lib/derive/recompute'
import { RequestError } from '@/lib/errors'
import { ingest } from '@/lib/ingest/pipeline'
import { peek } from '@/lib/ingest/byte-source'
import { allowedHosts, INGESTION_LAG_MINUTES, parseSettings, type ConnectorKind } from './connector-settings'
import { connectorSecret } from './connector-store'
import { fetcherFor } from './fetcher-registry'
import type { HttpOptions } from './http-client'
import type { Slice, SliceFetcher } from './slice-fetcher'

/**
 * One pull of a connector: from its watermark to (now − the service's ingestion lag), slice by
 * slice. Each slice is one import (one transaction); the watermark moves only after a slice
 * committed. A crash or restart therefore resumes at the first slice not stored, and a slice
 * fetched twice stores nothing twice (events are unique per dataset and source id). The findings
 * are recomputed once, after the run's last slice (and after a failed run, for the slices it
 * stored), not after each slice.
 */

const LEASE_MINUTES = 10

export interface RunOptions {
  startedById?: number | null
  now?: Date
  /** Tests: a fetcher against a fake service, instant sleeps. */
  fetcher?: SliceFetcher
  http?: Partial<HttpOptions>
  /** At most this many slices in one run (the rest next time). */
  maxSlices?: number
}

export interface RunResult {
  runId: number
  status: 'succeeded' | 'failed'
  slicesDone: number
  slicesTotal: number
  eventsRead: number
  eventsInserted: number
  error: string | null
}

/** The slices between a start and an end, aligned to whole slice lengths since the epoch. */
export function slicesBetween(start: Date, end: Date, sliceMinutes: number): Slice[] {
  const size = sliceMinutes * 60_000
  const first = Math.floor(start.getTime() / size) * size
  const slices: Slice[] = []
  for (let t = first; t + size <= end.getTime(); t += size) slices.push({ from: new Date(t), to: new Date(t + size) })
  return slices
}

async function acquireLease(connectorId: number): Promise<boolean> {
  const pool = await getPool()
  const result = await pool.query(
    `UPDATE connectors SET locked_until = now() + make_interval(mins => $2), last_run_at = now()
      WHERE id = $1 AND (locked_until IS NULL OR locked_until < now())`,
    [connectorId, LEASE_MINUTES],
  )
  return result.rowCount === 1
}

async function renewLease(connectorId: number, runId: number): Promise<void> {
  const pool = await getPool()
  await pool.query('UPDATE connectors SET locked_until = now() + make_interval(mins => $2) WHERE id = $1', [connectorId, LEASE_MINUTES])
  await pool.query('UPDATE connector_runs SET heartbeat_at = now() WHERE id = $1', [runId])
}

/** A slice with no sign-ins yields no bytes; it is done without an import job. */
async function nonEmpty(source: AsyncIterable<Buffer>): Promise<AsyncIterable<Buffer> | null> {
  const { head, rest } = await peek(source, 1)
  return head.length === 0 ? null : rest
}

export async function runConnector(connectorId: number, options: RunOptions = {}): Promise<RunResult> {
  const prisma = await getPrisma()
  const connector = await prisma.connector.findUnique({ where: { id: connectorId } })
  if (!connector) throw new RequestError(404, `no connector ${connectorId}`)
  if (!connector.enabled) throw new RequestError(409, `connector ${connector.name} is disabled`)
  if (!(await acquireLease(connectorId))) throw new RequestError(409, `connector ${connector.name} is already running`)

  const run = await prisma.connectorRun.create({ data: { connectorId, startedById: options.startedById ?? null } })
  const result: RunResult = { runId: run.id, status: 'succeeded', slicesDone: 0, slicesTotal: 0, eventsRead: 0, eventsInserted: 0, error: null }
  const heartbeat = setInterval(() => void renewLease(connectorId, run.id).catch(() => {}), 60_000)
  try {
    const kind = connector.kind as ConnectorKind
    const settings = parseSettings(kind, connector.settings) as Record<string, string>
    const fetcher = options.fetcher ?? fetcherFor(kind)
    const context = {
      settings,
      secret: await connectorSecret(connectorId),
      http: { allowedHosts: allowedHosts(kind, settings), ...options.http },
    }
    const now = options.now ?? new Date()
    const start = connector.watermark ?? new Date(now.getTime() - connector.initialLookbackHours * 3_600_000)
    const end = new Date(now.getTime() - INGESTION_LAG_MINUTES[kind] * 60_000)
    const slices = slicesBetween(start, end, connector.sliceMinutes).slice(0, options.maxSlices ?? Number.POSITIVE_INFINITY)
    result.slicesTotal = slices.length
    await prisma.connectorRun.update({ where: { id: run.id }, data: { slicesTotal: slices.length } })

    for (const slice of slices) {
      const source = await nonEmpty(fetcher.fetchSlice(slice, context))
      if (source) {
        const job = await prisma.importJob.create({
          data: {
            datasetId: connector.datasetId,
            fileName: `${connector.name} ${slice.from.toISOString()} – ${slice.to.toISOString()}`,
            origin: 'connector',
            status: 'queued',
            connectorRunId: run.id,
            startedById: options.startedById ?? null,
          },
        })
        const report = await ingest({ datasetId: connector.datasetId, fileName: job.fileName, source, origin: 'connector', jobId: job.id })
        if (report.status === 'failed') throw new Error(`slice ${slice.from.toISOString()}: ${report.error}`)
        result.eventsRead += report.rowsRead
        result.eventsInserted += report.rowsInserted
      }
      result.slicesDone++
      // The slice is committed: from now on the connector starts after it.
      await prisma.connector.update({ where: { id: connectorId }, data: { watermark: slice.to } })
      await prisma.connectorRun.update({
        where: { id: run.id },
        data: { slicesDone: result.slicesDone, eventsRead: result.eventsRead, eventsInserted: result.eventsInserted, heartbeatAt: new Date() },
      })
      await renewLease(connectorId, run.id)
    }
    await prisma.connector.update({ where: { id: connectorId }, data: { lastSuccessAt: new Date(), lastError: null } })
  } catch (error) {
    result.status = 'failed'
    result.error = (error as Error).message
    await prisma.connector.update({ where: { id: connectorId }, data: { lastError: result.error } })
  } finally {
    clearInterval(heartbeat)
    await prisma.connectorRun.update({
      where: { id: run.id },
      data: { status: result.status, error: result.error, finishedAt: new Date(), slicesDone: result.slicesDone, eventsRead: result.eventsRead, eventsInserted: result.eventsInserted },
    })
    await prisma.connector.update({ where: { id: connectorId }, data: { lockedUntil: null } })
  }
  // After the lease: a long recompute must not keep the connector "running". A failure is the
  // dataset's to show (its derived state), not the run's: every slice stored stays stored.
  if (result.slicesDone > 0) await recomputeDataset(connector.datasetId)
  return result
}

/** Runs whose process died (no heartbeat for a while) are failed; their connector resumes next run. */
export async function failInterruptedRuns(): Promise<number> {
  const pool = await getPool()
  const result = await pool.query(
    `UPDATE connector_runs SET status = 'failed', finished_at = now(),
            error = 'interrupted: the process running it stopped; the next run resumes from the last stored slice'
      WHERE status = 'running' AND heartbeat_at < now() - interval '5 minutes'`,
  )
  return result.rowCount ?? 0
}
