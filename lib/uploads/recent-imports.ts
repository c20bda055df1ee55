import { getPrisma } from '@/lib/db/database'

/** The imports a user started lately, newest first (the upload page lists them). */
export async function recentImportsOf(userId: number, limit = 20): Promise<{ id: number; fileName: string }[]> {
  const prisma = await getPrisma()
  return prisma.importJob.findMany({ where: { startedById: userId }, orderBy: { createdAt: 'desc' }, take: limit, select: { id: true, fileName: true } })
}
