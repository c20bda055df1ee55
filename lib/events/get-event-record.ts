import { getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'

/** The original record of one sign-in event, exactly as the log had it (JSON text). */
export interface EventRecord {
  id: string
  datasetId: number
  sourceFormat: string
  raw: string
}

interface Row {
  id: bigint
  dataset_id: number
  source_format: string
  raw: string
}

export async function getEventRecord(id: bigint): Promise<EventRecord | null> {
  const row = (await getEventRecordRows([id]))[0]
  return row ? { id: String(row.id), datasetId: row.dataset_id, sourceFormat: row.source_format, raw: row.raw } : null
}

/** Original records by event id, for many events at once (evidence bundles). */
export async function getEventRecords(ids: bigint[]): Promise<Map<string, string>> {
  const rows = await getEventRecordRows(ids)
  return new Map(rows.map((r) => [String(r.id), r.raw]))
}

async function getEventRecordRows(ids: bigint[]): Promise<Row[]> {
  if (ids.length === 0) return []
  const prisma = await getPrisma()
  return prisma.$queryRawUnsafe<Row[]>(sqlFile('events/sql/event-records.sql'), ids.map(String))
}
