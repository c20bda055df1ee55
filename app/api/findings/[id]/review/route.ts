import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'
import { reviewFinding } from '@/lib/triage/triage-actions'

type Context = { params: Promise<{ id: string }> }

/** POST /api/findings/{id}/review {decision: "approve"|"reopen", comment} — a lead's review of a closed finding. */
export const POST = withRole('lead', async (request, { params }: Context, actor) => {
  const id = await idParam(params, 'finding')
  await reviewFinding(id, (await jsonBody(request)) as { decision: 'approve' | 'reopen'; comment?: string }, actor)
  return NextResponse.json({ reviewed: true })
})
