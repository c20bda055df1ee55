import type { Connector } from '@/lib/generated/prisma/client'
import { getPrisma } from '@/lib/db/database'
import { recomputeDataset } from '@/lib/derive/recompute'
import { RequestError } from '@/lib/errors'
import { ingest } from '@/lib/ingest/pipeline'
import { peek } from '@/lib/ingest/byte-source'
import { allowedHosts, INGESTION_LAG_MINUTES, parseSettings, type ConnectorKind } from './connector-settings'
import { acquireStreamLease, attachStreamLease, claimBackfill, holderColumns, releaseStreamLease, renewStreamLease } from './connector-lease'
import { connectorSecret } from './connector-store'
import { fetcherFor } from './fetcher-registry'
import { newRequestStats, type HttpOptions, type RequestStats } from './http-client'
import type { FetchContext, Slice, SliceFetcher } from './slice-fetcher'

/**
 * One pull of a connector, slice by slice. Each slice is one import (one transaction), and the
 * run's progress moves only after a slice committed, so a crash resumes at the first slice not
 * stored, and a slice fetched twice stores nothing twice (events are unique per dataset and
 * source id). The findings are recomputed once, after the run's last slice (and after a failed
 * run, for the slices it stored), not after each slice.
 * - The scheduled stream goes from the connector's watermark to (now − the service's ingestion
 *   lag) and moves the watermark.
 * - A backfill pulls a chosen window (backfill.ts) beside the stream; its progress is its own
 *   (`progress_to` on the run), and a backfill whose process died is resumed by the scheduler.
 */

export interface RunOptions {
  startedById?: number | null
  now?: Date
  /** Tests: a fetcher against a fake service, instant sleeps. */
  fetcher?: SliceFetcher
  http?: Partial<HttpOptions>
  /** At most this many slices in one run (the rest next time). */
  maxSlices?: number
  /** Where retries and the run's outcome are logged (default: the server log). */
  log?: (line: string) => void
}

export interface RunResult {
  runId: number
  status: 'succeeded' | 'failed'
  slicesDone: number
  slicesTotal: number
  eventsRead: number
  eventsInserted: number
  error: string | null
  stats: RequestStats
}

/** The slices between a start and an end, aligned to whole slice lengths since the epoch. */
export function slicesBetween(start: Date, end: Date, sliceMinutes: number): Slice[] {
  const size = sliceMinutes * 60_000
  const first = Math.floor(start.getTime() / size) * size
  const slices: Slice[] = []
  for (let t = first; t + size <= end.getTime(); t += size) slices.push({ from: new Date(t), to: new Date(t + size) })
  return slices
}

/** A window's slices, aligned like the stream's but cut to the window's exact edges. */
export function windowSlices(from: Date, to: Date, sliceMinutes: number): Slice[] {
  const size = sliceMinutes * 60_000
  const slices: Slice[] = []
  if (from.getTime() >= to.getTime()) return slices
  for (let t = Math.floor(from.getTime() / size) * size; t < to.getTime(); t += size) {
    slices.push({ from: new Date(Math.max(t, from.getTime())), to: new Date(Math.min(t + size, to.getTime())) })
  }
  return slices
}

/** A slice with no sign-ins yields no bytes; it is done without an import job. */
async function nonEmpty(source: AsyncIterable<Buffer>): Promise<AsyncIterable<Buffer> | null> {
  const { head, rest } = await peek(source, 1)
  return head.length === 0 ? null : rest
}

const statsColumns = (stats: RequestStats) => ({
  requests: stats.requests,
  retriesThrottled: stats.retries.throttled,
  retriesUnavailable: stats.retries.unavailable,
  retriesCutBody: stats.retries.cutBody,
  retriesNetwork: stats.retries.network,
  retriesTokenExpired: stats.retries.tokenExpired,
  tokensFetched: stats.tokensFetched,
})

interface Pull {
  connector: Connector
  runId: number
  slices: Slice[]
  /** Slices of the same run stored before (a resumed backfill). */
  slicesBefore?: number
  options: RunOptions
  /** Done once the slice's import committed. */
  afterSlice(slice: Slice): Promise<void>
  /** Every minute while the run works. */
  heartbeat(): Promise<void>
}

async function pullSlices(pull: Pull, result: RunResult, label: string): Promise<void> {
  const prisma = await getPrisma()
  const { connector, options } = pull
  const log = options.log ?? ((line: string) => console.log(line))
  const say = (line: string) => log(`[connectors] ${label}: ${line}`)
  const saveStats = () => prisma.connectorRun.update({ where: { id: pull.runId }, data: { ...statsColumns(result.stats), heartbeatAt: new Date() } })
  const heartbeat = setInterval(() => void Promise.all([pull.heartbeat(), saveStats()]).catch(() => {}), 60_000)
  try {
    const kind = connector.kind as ConnectorKind
    const settings = parseSettings(kind, connector.settings) as Record<string, string>
    const fetcher = options.fetcher ?? fetcherFor(kind)
    // One context for the whole run: the fetchers keep the access token per context.
    const context: FetchContext = {
      settings,
      secret: await connectorSecret(connector.id),
      http: { allowedHosts: allowedHosts(kind, settings), ...options.http, stats: result.stats, log: say },
    }
    result.slicesTotal = (pull.slicesBefore ?? 0) + pull.slices.length
    await prisma.connectorRun.update({ where: { id: pull.runId }, data: { slicesTotal: result.slicesTotal } })

    for (const slice of pull.slices) {
      const source = await nonEmpty(fetcher.fetchSlice(slice, context))
      if (source) {
        const job = await prisma.importJob.create({
          data: {
            datasetId: connector.datasetId,
            fileName: `${connector.name} ${slice.from.toISOString()} – ${slice.to.toISOString()}`,
            origin: 'connector',
            status: 'queued',
            connectorRunId: pull.runId,
            startedById: options.startedById ?? null,
          },
        })
        const report = await ingest({ datasetId: connector.datasetId, fileName: job.fileName, source, origin: 'connector', jobId: job.id })
        if (report.status === 'failed') throw new Error(`slice ${slice.from.toISOString()}: ${report.error}`)
        result.eventsRead += report.rowsRead
        result.eventsInserted += report.rowsInserted
      }
      result.slicesDone++
      await pull.afterSlice(slice)
      await prisma.connectorRun.update({
        where: { id: pull.runId },
        data: { slicesDone: result.slicesDone, eventsRead: result.eventsRead, eventsInserted: result.eventsInserted, heartbeatAt: new Date(), ...statsColumns(result.stats) },
      })
      await pull.heartbeat()
    }
  } catch (error) {
    result.status = 'failed'
    result.error = (error as Error).message
  } finally {
    clearInterval(heartbeat)
    await prisma.connectorRun.update({
      where: { id: pull.runId },
      data: {
        status: result.status,
        error: result.error,
        finishedAt: new Date(),
        slicesDone: result.slicesDone,
        eventsRead: result.eventsRead,
        eventsInserted: result.eventsInserted,
        ...statsColumns(result.stats),
      },
    })
    const retries = Object.values(result.stats.retries).reduce((a, b) => a + b, 0)
    say(`${result.status}: ${result.slicesDone}/${result.slicesTotal} slices, ${result.eventsInserted} new events, ${result.stats.requests} requests, ${retries} retries, ${result.stats.tokensFetched} tokens${result.error ? ` (${result.error})` : ''}`)
  }
}

const newResult = (runId: number): RunResult => ({ runId, status: 'succeeded', slicesDone: 0, slicesTotal: 0, eventsRead: 0, eventsInserted: 0, error: null, stats: newRequestStats() })

/** The scheduled stream: from the watermark to now minus the ingestion lag. */
export async function runConnector(connectorId: number, options: RunOptions = {}): Promise<RunResult> {
  const prisma = await getPrisma()
  const connector = await prisma.connector.findUnique({ where: { id: connectorId } })
  if (!connector) throw new RequestError(404, `no connector ${connectorId}`)
  if (!connector.enabled) throw new RequestError(409, `connector ${connector.name} is disabled`)
  if (!(await acquireStreamLease(connectorId))) throw new RequestError(409, `connector ${connector.name} is already running`)

  const run = await prisma.connectorRun.create({ data: { connectorId, startedById: options.startedById ?? null, ...holderColumns() } })
  await attachStreamLease(connectorId, run.id)
  const result = newResult(run.id)
  const now = options.now ?? new Date()
  const kind = connector.kind as ConnectorKind
  const start = connector.watermark ?? new Date(now.getTime() - connector.initialLookbackHours * 3_600_000)
  const end = new Date(now.getTime() - INGESTION_LAG_MINUTES[kind] * 60_000)
  try {
    await pullSlices(
      {
        connector,
        runId: run.id,
        slices: slicesBetween(start, end, connector.sliceMinutes).slice(0, options.maxSlices ?? Number.POSITIVE_INFINITY),
        options,
        // The slice is committed: from now on the connector starts after it.
        afterSlice: async (slice) => void (await prisma.connector.update({ where: { id: connectorId }, data: { watermark: slice.to } })),
        heartbeat: () => renewStreamLease(connectorId, run.id),
      },
      result,
      `${connector.name} run ${run.id}`,
    )
    await prisma.connector.update({ where: { id: connectorId }, data: result.status === 'succeeded' ? { lastSuccessAt: new Date(), lastError: null } : { lastError: result.error } })
  } finally {
    await releaseStreamLease(connectorId, run.id)
  }
  // After the lease: a long recompute must not keep the connector "running". A failure is the
  // dataset's to show (its derived state), not the run's: every slice stored stays stored.
  if (result.slicesDone > 0) await recomputeDataset(connector.datasetId)
  return result
}

/**
 * A backfill run (created by createBackfill), from its own progress to the end of its window;
 * also resumes one whose process died, or one that failed. 409 while a live process works on it.
 */
export async function runBackfill(runId: number, options: RunOptions = {}): Promise<RunResult> {
  const prisma = await getPrisma()
  const run = await prisma.connectorRun.findUnique({ where: { id: runId }, include: { connector: true } })
  if (!run || !run.backfill || !run.windowFrom || !run.windowTo) throw new RequestError(404, `no backfill run ${runId}`)
  if (run.status === 'failed') {
    // A failed backfill (out of retries, a refused token) goes on from its last stored slice.
    const other = await prisma.connectorRun.findFirst({ where: { connectorId: run.connectorId, backfill: true, status: 'running', id: { not: runId } } })
    if (other) throw new RequestError(409, `backfill run ${other.id} of ${run.connector.name} is running; resume ${runId} after it`)
    await prisma.connectorRun.updateMany({
      where: { id: runId, status: 'failed' },
      data: { status: 'running', error: null, finishedAt: null, holderHost: null, holderPid: null, holderStart: null, holderBoot: null },
    })
    run.status = 'running'
  }
  if (!(await claimBackfill(runId))) throw new RequestError(409, `backfill run ${runId} is ${run.status === 'running' ? 'being run by another process' : run.status}`)
  const from = run.progressTo ?? run.windowFrom
  const done = windowSlices(run.windowFrom, from, run.connector.sliceMinutes).length
  // Counters carry on across a resumption.
  const result: RunResult = { ...newResult(runId), slicesDone: done, eventsRead: run.eventsRead, eventsInserted: run.eventsInserted }
  result.stats = {
    requests: run.requests,
    retries: { throttled: run.retriesThrottled, unavailable: run.retriesUnavailable, cutBody: run.retriesCutBody, network: run.retriesNetwork, tokenExpired: run.retriesTokenExpired },
    tokensFetched: run.tokensFetched,
  }
  await pullSlices(
    {
      connector: run.connector,
      runId,
      slices: windowSlices(from, run.windowTo, run.connector.sliceMinutes),
      slicesBefore: done,
      options,
      afterSlice: async (slice) => void (await prisma.connectorRun.update({ where: { id: runId }, data: { progressTo: slice.to } })),
      heartbeat: async () => void (await prisma.connectorRun.update({ where: { id: runId }, data: { heartbeatAt: new Date() } })),
    },
    result,
    `${run.connector.name} backfill ${runId} (${run.windowFrom.toISOString()} – ${run.windowTo.toISOString()})`,
  )
  // Once, after the backfill's last slice (or its failure, for the slices it stored).
  if (result.slicesDone > 0) await recomputeDataset(run.connector.datasetId)
  return result
}
