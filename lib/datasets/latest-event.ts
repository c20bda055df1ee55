import { getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'

/** When the newest sign-in of these datasets (null: all) happened; null when they hold none. */
export async function latestEventTime(datasetIds: number[] | null): Promise<Date | null> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<{ latest: Date | null }[]>(sqlFile('datasets/sql/latest-event.sql'), datasetIds)
  return rows[0]?.latest ?? null
}
