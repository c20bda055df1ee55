import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'
import { whatIf } from '@/lib/tuning/what-if'

type Context = { params: Promise<{ id: string }> }

/** POST /api/datasets/{id}/settings/preview — "what if": findings per tier with the proposed settings vs now; nothing is saved. */
export const POST = withRole('lead', async (request, { params }: Context) => NextResponse.json(await whatIf(await idParam(params, 'dataset'), await jsonBody(request))))
