import type { ClientBase, Pool } from 'pg'
import { sqlFile } from '@/lib/sql-file'

/** What the audit trail keeps of an import's end. */
export interface ImportOutcome {
  status: string
  format: string | null
  bytes: number
  rowsRead: number
  rowsInserted: number
  rowsDuplicate: number
  rowsRejected: number
  error: string | null
}

/**
 * Records an import's result (who, which dataset, which file, what came of it) in the audit trail,
 * on the connection given: the import's transaction when it succeeds, so both commit together.
 */
export async function auditImport(db: ClientBase | Pool, jobId: number, outcome: ImportOutcome): Promise<void> {
  const action = outcome.status === 'succeeded' ? 'import.succeeded' : outcome.status === 'not_applicable' ? 'import.not_applicable' : 'import.failed'
  await db.query(sqlFile('datasets/sql/audit-import.sql'), [
    jobId,
    action,
    outcome.status,
    outcome.format,
    outcome.bytes,
    outcome.rowsRead,
    outcome.rowsInserted,
    outcome.rowsDuplicate,
    outcome.rowsRejected,
    outcome.error,
  ])
}
