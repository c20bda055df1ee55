import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'
import { deleteSuppression, updateSuppression, type SuppressionInput } from '@/lib/tuning/suppressions'

type Context = { params: Promise<{ id: string }> }

/** PUT /api/suppressions/{id} — changes a rule (audited; findings re-evaluated at once). */
export const PUT = withRole('lead', async (request, { params }: Context, actor) =>
  NextResponse.json(await updateSuppression(await idParam(params, 'suppression'), (await jsonBody(request)) as SuppressionInput, actor)),
)

/** DELETE /api/suppressions/{id} — removes a rule; what it suppressed shows again. */
export const DELETE = withRole('lead', async (_request, { params }: Context, actor) => {
  const id = await idParam(params, 'suppression')
  await deleteSuppression(id, actor)
  return NextResponse.json({ deleted: id })
})
