import { NextResponse } from 'next/server'
import { RequestError } from '@/lib/errors'
import { getFinding, getFindingEscalations } from '@/lib/findings/finding-details'
import { withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/** GET /api/findings/{id}/escalations — probed accounts whose password later proved right, with the sign-in that showed it. */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const id = await idParam(params, 'finding')
  if (!(await getFinding(id))) throw new RequestError(404, `no finding ${id}`)
  return NextResponse.json({ findingId: id, escalations: await getFindingEscalations(id) })
})
