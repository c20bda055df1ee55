import { NextResponse } from 'next/server'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'
import { deleteSavedView } from '@/lib/views/saved-views'

type Context = { params: Promise<{ id: string }> }

/** DELETE /api/saved-views/{id} — deletes one of your views. */
export const DELETE = withRole('viewer', async (_request, { params }: Context, actor) => {
  const id = await idParam(params, 'view')
  return (await deleteSavedView(actor.user.id, id)) ? NextResponse.json({ deleted: id }) : jsonError(404, `no view ${id} of yours`)
})
