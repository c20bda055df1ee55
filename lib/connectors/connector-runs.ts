import { getPrisma } from '@/lib/db/database'
import { toImportSummary, type ImportSummary } from '@/lib/datasets/list-datasets'
import type { RetryCause } from './retry-causes'

/** A connector's pulls, newest first, a page at a time, each with its imports and what it did on the wire. */
export interface ConnectorRunSummary {
  id: number
  status: string
  startedByEmail: string | null
  /** A one-off backfill of [windowFrom, windowTo); progressTo: stored up to there. */
  backfill: boolean
  windowFrom: string | null
  windowTo: string | null
  progressTo: string | null
  slicesTotal: number
  slicesDone: number
  eventsRead: number
  eventsInserted: number
  requests: number
  retries: Record<RetryCause, number>
  tokensFetched: number
  error: string | null
  startedAt: string
  finishedAt: string | null
  imports: ImportSummary[]
}

export interface ConnectorRunPage {
  runs: ConnectorRunSummary[]
  /** 1-based. */
  page: number
  pageSize: number
  totalRuns: number
  pages: number
}

export const RUNS_PAGE_SIZE = 20

export async function listConnectorRuns(connectorId: number, options: { page?: number; pageSize?: number } = {}): Promise<ConnectorRunPage> {
  const prisma = await getPrisma()
  const pageSize = Math.min(100, Math.max(1, options.pageSize ?? RUNS_PAGE_SIZE))
  const totalRuns = await prisma.connectorRun.count({ where: { connectorId } })
  const pages = Math.max(1, Math.ceil(totalRuns / pageSize))
  const page = Math.min(pages, Math.max(1, options.page ?? 1))
  const runs = await prisma.connectorRun.findMany({
    where: { connectorId },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    include: { importJobs: { orderBy: { createdAt: 'desc' }, take: 50 } },
  })
  const starters = new Map(
    (await prisma.user.findMany({ where: { id: { in: runs.map((r) => r.startedById).filter((id): id is number => id !== null) } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
  )
  return {
    page,
    pageSize,
    totalRuns,
    pages,
    runs: runs.map((run) => ({
      id: run.id,
      status: run.status,
      startedByEmail: run.startedById === null ? null : (starters.get(run.startedById) ?? null),
      backfill: run.backfill,
      windowFrom: run.windowFrom?.toISOString() ?? null,
      windowTo: run.windowTo?.toISOString() ?? null,
      progressTo: run.progressTo?.toISOString() ?? null,
      slicesTotal: run.slicesTotal,
      slicesDone: run.slicesDone,
      eventsRead: run.eventsRead,
      eventsInserted: run.eventsInserted,
      requests: run.requests,
      retries: {
        throttled: run.retriesThrottled,
        unavailable: run.retriesUnavailable,
        cutBody: run.retriesCutBody,
        network: run.retriesNetwork,
        tokenExpired: run.retriesTokenExpired,
      },
      tokensFetched: run.tokensFetched,
      error: run.error,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      imports: run.importJobs.map(toImportSummary),
    })),
  }
}
