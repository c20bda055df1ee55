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

/** Deletes a dataset and everything it holds, after any import into it has finished (the dataset lock). */
export async function deleteDataset(id: number): Promise<void> {
  const client = await (await getPool()).connect()
  try {
    await client.query('BEGIN')
    await lockDataset(client, id)
    await client.query(sqlFile('datasets/sql/delete-dataset.sql'), [id])
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
