import { getPrisma } from '@/lib/db/database'
import { toImportSummary, type ImportSummary } from '@/lib/datasets/list-datasets'

/** A connector's recent pulls, each with the imports (slices) it made. */
export interface ConnectorRunSummary {
  id: number
  status: string
  startedByEmail: string | null
  slicesTotal: number
  slicesDone: number
  eventsRead: number
  eventsInserted: number
  error: string | null
  startedAt: string
  finishedAt: string | null
  imports: ImportSummary[]
}

export async function listConnectorRuns(connectorId: number, limit = 20): Promise<ConnectorRunSummary[]> {
  const prisma = await getPrisma()
  const runs = await prisma.connectorRun.findMany({
    where: { connectorId },
    orderBy: { startedAt: 'desc' },
    take: limit,
    include: { importJobs: { orderBy: { createdAt: 'desc' }, take: 50 } },
  })
  const starters = new Map(
    (await prisma.user.findMany({ where: { id: { in: runs.map((r) => r.startedById).filter((id): id is number => id !== null) } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
  )
  return runs.map((run) => ({
    id: run.id,
    status: run.status,
    startedByEmail: run.startedById === null ? null : (starters.get(run.startedById) ?? null),
    slicesTotal: run.slicesTotal,
    slicesDone: run.slicesDone,
    eventsRead: run.eventsRead,
    eventsInserted: run.eventsInserted,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    imports: run.importJobs.map(toImportSummary),
  }))
}
