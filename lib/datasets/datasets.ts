import { getPrisma } from '@/lib/db/database'
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
  const prisma = await getPrisma()
  // upsert, so two imports naming a new dataset at once both land in the same one
  return prisma.dataset.upsert({ where: { name: trimmed }, create: { name: trimmed, source }, update: {}, select: { id: true, name: true } })
}

export async function deleteDataset(id: number): Promise<void> {
  const prisma = await getPrisma()
  await prisma.dataset.delete({ where: { id } })
}

export async function listDatasetNames(): Promise<{ id: number; name: string }[]> {
  const prisma = await getPrisma()
  return prisma.dataset.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } })
}
