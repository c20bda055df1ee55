import type { Actor } from '@/lib/auth/actor'
import { recordAuditOn } from '@/lib/auth/audit'
import { getPool, getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { lockDataset } from './dataset-lock'
import type { DatasetSource } from '@/lib/generated/prisma/enums'

export interface DatasetRef {
  id: number
  name: string
}

export async function findDataset(name: string): Promise<DatasetRef | null> {
  const prisma = await getPrisma()
  return prisma.dataset.findUnique({ where: { name }, select: { id: true, name: true } })
}

export async function findOrCreateDataset(name: string, source: DatasetSource = 'upload'): Promise<DatasetRef> {
  const trimmed = name.trim()
  if (trimmed === '') throw new Error('a dataset needs a name')
  const pool = await getPool()
  const { rows } = await pool.query<DatasetRef>(sqlFile('datasets/sql/find-or-create-dataset.sql'), [trimmed, source])
  return rows[0]
}

/** Who deletes a dataset and what it held, for the audit trail. */
export interface DatasetDeletion {
  actor: Actor | { system: string }
  before: { name: string; events: number; findings: number }
}

const DEADLOCK_DETECTED = '40P01'
const DELETE_ATTEMPTS = 3

/**
 * Deletes a dataset and everything it holds, after any import into it has finished (the dataset
 * lock). Its partitions of the per-event tables are dropped as the transaction commits, which
 * takes each parent table's ACCESS EXCLUSIVE lock in turn (docs/database.md "Event storage"): a
 * transaction of another dataset that holds one parent and waits for another can deadlock with
 * it. PostgreSQL then cancels one of the two; when it is the delete, it is tried again. With
 * `audit`, its entry commits in the same transaction.
 */
export async function deleteDataset(id: number, audit?: DatasetDeletion): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deleteOnce(id, audit)
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= DELETE_ATTEMPTS) throw error
    }
  }
}

async function deleteOnce(id: number, audit: DatasetDeletion | undefined): Promise<void> {
  const client = await (await getPool()).connect()
  try {
    await client.query('BEGIN')
    await lockDataset(client, id)
    await client.query(sqlFile('datasets/sql/delete-dataset.sql'), [id])
    if (audit) await recordAuditOn(client, audit.actor, 'dataset.delete', { type: 'dataset', id }, audit.before, null)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

export async function listDatasetNames(): Promise<{ id: number; name: string }[]> {
  const prisma = await getPrisma()
  return prisma.dataset.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } })
}
