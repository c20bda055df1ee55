import { z } from 'zod'
import { getPrisma } from '@/lib/db/database'
import { RequestError } from '@/lib/errors'

/** Named findings-table URLs a user keeps, plus the built-in ones every SOC queue has. */
export interface SavedView {
  id: number | null
  name: string
  /** Query string of /findings (without "?"). */
  query: string
}

export const BUILT_IN_VIEWS: SavedView[] = [
  { id: null, name: 'My findings', query: 'owner=me&status=new&status=active' },
  { id: null, name: 'Unassigned', query: 'owner=none&status=new&status=active' },
  { id: null, name: 'Awaiting review', query: 'review=pending' },
]

export const savedViewSchema = z.object({
  name: z.string().trim().min(1, 'a view needs a name').max(80),
  query: z
    .string()
    .max(2000)
    .transform((q) => q.replace(/^\?/, ''))
    .refine((q) => !/[\r\n]/.test(q), 'not a query string'),
})

export async function listSavedViews(userId: number): Promise<SavedView[]> {
  const prisma = await getPrisma()
  const views = await prisma.savedView.findMany({ where: { userId }, orderBy: { name: 'asc' } })
  return views.map((v) => ({ id: v.id, name: v.name, query: v.query }))
}

export async function saveView(userId: number, input: z.input<typeof savedViewSchema>): Promise<SavedView> {
  const { name, query } = savedViewSchema.parse(input)
  if (BUILT_IN_VIEWS.some((v) => v.name.toLowerCase() === name.toLowerCase())) throw new RequestError(409, `"${name}" is a built-in view`)
  const prisma = await getPrisma()
  // Saving under an existing name replaces that view: the analyst refined it.
  const view = await prisma.savedView.upsert({ where: { userId_name: { userId, name } }, create: { userId, name, query }, update: { query } })
  return { id: view.id, name: view.name, query: view.query }
}

export async function deleteSavedView(userId: number, id: number): Promise<boolean> {
  const prisma = await getPrisma()
  return (await prisma.savedView.deleteMany({ where: { id, userId } })).count > 0
}
