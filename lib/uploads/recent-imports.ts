import { getPrisma } from '@/lib/db/database'

/** The imports a user started lately, newest first, with the dataset each went into (the upload page lists them). */
export async function recentImportsOf(userId: number, limit = 20): Promise<{ id: number; fileName: string; datasetName: string }[]> {
  const prisma = await getPrisma()
  const jobs = await prisma.importJob.findMany({
    where: { startedById: userId },
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { id: true, fileName: true, dataset: { select: { name: true } } },
  })
  return jobs.map((job) => ({ id: job.id, fileName: job.fileName, datasetName: job.dataset.name }))
}
