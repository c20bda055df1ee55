import { getPool } from '@/lib/db/database'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { recomputeDataset } from '@/lib/derive/recompute'
import { ingest, type ImportReport, type IngestInput } from '@/lib/ingest/pipeline'
import { PORTAL_HEADER_2024 } from './export-headers'
import { csv } from './read-log'

/**
 * Content builders and database read-outs shared by tests/integration/ingest*.test.ts. The
 * database is the real PostgreSQL of the test file (useTestDatabase()); nothing here mocks it.
 */

export type Chunks = AsyncIterable<Buffer | string>

export async function* once(content: string | Buffer): AsyncGenerator<Buffer> {
  yield Buffer.isBuffer(content) ? content : Buffer.from(content)
}

/** Ingests a byte stream as a file of that name into the named dataset, then recomputes its findings (as the CLI does). */
export async function run(
  dataset: string,
  fileName: string,
  content: string | Buffer | Chunks,
  options: Omit<IngestInput, 'datasetId' | 'fileName' | 'source'> = {},
): Promise<ImportReport> {
  const { id } = await findOrCreateDataset(dataset)
  const source = typeof content === 'string' || Buffer.isBuffer(content) ? once(content) : content
  const report = await ingest({ datasetId: id, fileName, source, ...options })
  await recomputeDataset(id)
  return report
}

export async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const pool = await getPool()
  return (await pool.query<T>(sql, params)).rows
}

export interface JobRow {
  status: string
  error: string | null
  detected_format: string | null
  bytes: string
  content_sha256: string | null
  rows_read: number
  rows_inserted: number
  rows_duplicate: number
  rows_rejected: number
  rows_skipped: number
  min_event_time: Date | null
  max_event_time: Date | null
  created_at: Date
  started_at: Date | null
  finished_at: Date | null
  [key: string]: unknown
}

export async function job(id: number): Promise<JobRow> {
  const [row] = await query<JobRow>('SELECT * FROM import_jobs WHERE id = $1', [id])
  return row
}

export async function rejectedRows(jobId: number) {
  return query<{ record_number: number; reason: string; excerpt: string }>(
    'SELECT record_number, reason, excerpt FROM rejected_rows WHERE import_job_id = $1 ORDER BY record_number, id',
    [jobId],
  )
}

async function datasetId(dataset: string): Promise<number> {
  return (await findOrCreateDataset(dataset)).id
}

export async function eventIds(dataset: string): Promise<string[]> {
  const rows = await query<{ source_event_id: string }>(`SELECT coalesce(source_event_uuid::text, source_event_id) AS source_event_id FROM sign_in_events WHERE dataset_id = $1 ORDER BY 1`, [await datasetId(dataset)])
  return rows.map((r) => r.source_event_id)
}

export async function eventCount(dataset: string): Promise<number> {
  const [row] = await query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_events WHERE dataset_id = $1', [await datasetId(dataset)])
  return row.n
}

/** Everything the dataset holds (events and rollup), for before/after comparisons. */
export async function datasetState(dataset: string) {
  const id = await datasetId(dataset)
  const events = await query(
    `SELECT coalesce(source_event_uuid::text, source_event_id) AS source_event_id, created_at, user_principal_name, host(ip_address) AS ip, client_app_used, user_agent, app_display_name,
            error_code, import_job_id
       FROM sign_in_events JOIN user_agents USING (dataset_id, user_agent_id) WHERE dataset_id = $1 ORDER BY 1`,
    [id],
  )
  const rollup = await query(
    `SELECT bucket, host(ip_address) AS ip, client_app_used, user_agent, user_principal_name, error_code, attempts, first_seen, last_seen, app_names
       FROM sign_in_hourly_rollup WHERE dataset_id = $1 ORDER BY bucket, ip, client_app_used, user_agent, user_principal_name, error_code`,
    [id],
  )
  return { events, rollup }
}

export async function rollupAttempts(dataset: string): Promise<number> {
  const [row] = await query<{ n: number }>('SELECT coalesce(sum(attempts), 0)::int AS n FROM sign_in_hourly_rollup WHERE dataset_id = $1', [await datasetId(dataset)])
  return row.n
}

/** A portal CSV of failed sign-ins from one IP, one per user, a second apart. */
export function portalCsv(rows: number, options: { idPrefix?: string; start?: string; extra?: Record<string, string>[] } = {}): string {
  const start = Date.parse(options.start ?? '2026-03-02T10:00:00Z')
  const records = Array.from({ length: rows }, (_, i) => ({
    'Date (UTC)': new Date(start + i * 1000).toISOString(),
    'Request ID': `${options.idPrefix ?? 'req'}-${String(i + 1).padStart(6, '0')}`,
    'User agent': 'Mozilla/5.0',
    Username: `user${i + 1}@contoso.com`,
    Application: 'Azure Active Directory PowerShell',
    'IP address': '203.0.113.45',
    'Sign-in error code': '50034',
    'Client app': 'Mobile Apps and Desktop clients',
  }))
  return csv(PORTAL_HEADER_2024, [...records, ...(options.extra ?? [])])
}

export function graphRecord(i: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `g-${String(i).padStart(6, '0')}`,
    createdDateTime: new Date(Date.parse('2026-03-02T10:00:00Z') + i * 1000).toISOString(),
    userPrincipalName: `user${i}@contoso.com`,
    ipAddress: '203.0.113.45',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    userAgent: 'Mozilla/5.0',
    appDisplayName: 'Azure Active Directory PowerShell',
    status: { errorCode: 50034 },
    ...overrides,
  }
}

export function ndjson(records: object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n'
}
