import { getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { decodeBlock } from './record-blocks'

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
  record_block: bigint
  record_index: number
  encoding: string
  records: Uint8Array
}

export async function getEventRecord(id: bigint): Promise<EventRecord | null> {
  const [row] = await getEventRecordRows([id])
  if (!row) return null
  return { id: String(row.id), datasetId: row.dataset_id, sourceFormat: row.source_format, raw: decodeBlock(row.encoding, row.records)[row.record_index] }
}

/** Original records by event id, for many events at once (evidence bundles): each block is decompressed once. */
export async function getEventRecords(ids: bigint[]): Promise<Map<string, string>> {
  const rows = await getEventRecordRows(ids)
  const blocks = new Map<string, string[]>()
  const records = new Map<string, string>()
  for (const row of rows) {
    const blockKey = `${row.dataset_id}:${row.record_block}`
    let lines = blocks.get(blockKey)
    if (!lines) {
      lines = decodeBlock(row.encoding, row.records)
      blocks.set(blockKey, lines)
    }
    records.set(String(row.id), lines[row.record_index])
  }
  return records
}

async function getEventRecordRows(ids: bigint[]): Promise<Row[]> {
  if (ids.length === 0) return []
  const prisma = await getPrisma()
  return prisma.$queryRawUnsafe<Row[]>(sqlFile('events/sql/event-records.sql'), ids.map(String))
}
