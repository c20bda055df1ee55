import { getPrisma } from '@/lib/db/database'
import { derivedStates, type DerivedState } from '@/lib/derive/derived-state'

/** A dataset with its imports, as the datasets page shows it. */
export interface DatasetSummary {
  id: number
  name: string
  source: string
  createdAt: string
  events: number
  findings: number
  /** Whether its findings are up to date, being updated, or failed to update (and why). */
  derived: DerivedState
  /** Its imports, newest first: all of them, or the page or the latest few asked for. */
  imports: ImportSummary[]
  /** How many imports it has in all. */
  importCount: number
}

/** Imports per page of the dataset page: a month of hourly or portal-capped files runs to hundreds. */
export const IMPORTS_PAGE_SIZE = 25

/** Which of a dataset's imports to read, newest first: all (the API), or `take` from `skip`. */
export interface ImportsWindow {
  skip?: number
  take?: number
}

export interface ImportSummary {
  id: number
  fileName: string
  origin: string
  format: string | null
  status: string
  error: string | null
  bytes: number
  rowsRead: number
  rowsInserted: number
  rowsDuplicate: number
  rowsRejected: number
  rowsSkipped: number
  minEventTime: string | null
  maxEventTime: string | null
  createdAt: string
  finishedAt: string | null
  durationMs: number | null
}

export interface RejectedRowSummary {
  recordNumber: number
  reason: string
  excerpt: string
}

type ImportJobRecord = {
  id: number
  fileName: string
  origin: string
  detectedFormat: string | null
  status: string
  error: string | null
  bytes: bigint
  rowsRead: number
  rowsInserted: number
  rowsDuplicate: number
  rowsRejected: number
  rowsSkipped: number
  minEventTime: Date | null
  maxEventTime: Date | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

export function toImportSummary(job: ImportJobRecord): ImportSummary {
  return {
    id: job.id,
    fileName: job.fileName,
    origin: job.origin,
    format: job.detectedFormat,
    status: job.status,
    error: job.error,
    bytes: Number(job.bytes),
    rowsRead: job.rowsRead,
    rowsInserted: job.rowsInserted,
    rowsDuplicate: job.rowsDuplicate,
    rowsRejected: job.rowsRejected,
    rowsSkipped: job.rowsSkipped,
    minEventTime: job.minEventTime?.toISOString() ?? null,
    maxEventTime: job.maxEventTime?.toISOString() ?? null,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    durationMs: job.startedAt && job.finishedAt ? job.finishedAt.getTime() - job.startedAt.getTime() : null,
  }
}

function withImports(window: ImportsWindow) {
  return {
    importJobs: { orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }], skip: window.skip, take: window.take },
    _count: { select: { findings: true, importJobs: true } },
  }
}

function toDatasetSummary(
  d: {
    id: number
    name: string
    source: string
    createdAt: Date
    importJobs: ImportJobRecord[]
    _count: { findings: number; importJobs: number }
  },
  events: number,
  derived: DerivedState,
): DatasetSummary {
  return {
    id: d.id,
    name: d.name,
    source: d.source,
    createdAt: d.createdAt.toISOString(),
    events,
    findings: d._count.findings,
    derived,
    imports: d.importJobs.map(toImportSummary),
    importCount: d._count.importJobs,
  }
}

/**
 * Events per dataset, from the hourly summary the imports keep: counting the events themselves
 * read the whole table (seconds at a million events).
 */
async function eventCounts(datasetIds?: number[]): Promise<Map<number, number>> {
  const prisma = await getPrisma()
  const rows = await prisma.signInHourlySummary.groupBy({
    by: ['datasetId'],
    where: datasetIds ? { datasetId: { in: datasetIds } } : undefined,
    _sum: { events: true },
  })
  return new Map(rows.map((r) => [r.datasetId, Number(r._sum.events ?? 0)]))
}

/** Every dataset, each with its imports (`imports`: only those of each, e.g. the latest few). */
export async function listDatasets(imports: ImportsWindow = {}): Promise<DatasetSummary[]> {
  const prisma = await getPrisma()
  const [datasets, events] = await Promise.all([prisma.dataset.findMany({ orderBy: { createdAt: 'desc' }, include: withImports(imports) }), eventCounts()])
  const states = await derivedStates(datasets.map((d) => d.id))
  return datasets.map((d) => toDatasetSummary(d, events.get(d.id) ?? 0, states.get(d.id)!))
}

/** One dataset with its imports (`imports`: only those, e.g. one page of them). */
export async function getDatasetSummary(id: number, imports: ImportsWindow = {}): Promise<DatasetSummary | null> {
  const prisma = await getPrisma()
  const [dataset, events] = await Promise.all([prisma.dataset.findUnique({ where: { id }, include: withImports(imports) }), eventCounts([id])])
  return dataset ? toDatasetSummary(dataset, events.get(id) ?? 0, (await derivedStates([dataset.id])).get(dataset.id)!) : null
}

/** The dataset's imports that rejected rows, newest first, whichever page of imports is shown. */
export async function importsWithRejections(datasetId: number): Promise<ImportSummary[]> {
  const prisma = await getPrisma()
  const jobs = await prisma.importJob.findMany({ where: { datasetId, rowsRejected: { gt: 0 } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })
  return jobs.map(toImportSummary)
}

export async function listRejectedRows(importJobId: number, limit = 200): Promise<RejectedRowSummary[]> {
  const prisma = await getPrisma()
  const rows = await prisma.rejectedRow.findMany({ where: { importJobId }, orderBy: { recordNumber: 'asc' }, take: limit })
  return rows.map((r) => ({ recordNumber: r.recordNumber, reason: r.reason, excerpt: r.excerpt }))
}
