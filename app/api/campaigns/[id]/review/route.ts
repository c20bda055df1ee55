import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'
import { reviewCampaign } from '@/lib/triage/triage-actions'

type Context = { params: Promise<{ id: string }> }

/** POST /api/campaigns/{id}/review {decision: "approve"|"reopen", comment} — a lead's review of a closed campaign. */
export const POST = withRole('lead', async (request, { params }: Context, actor) => {
  const id = await idParam(params, 'campaign')
  await reviewCampaign(id, (await jsonBody(request)) as { decision: 'approve' | 'reopen'; comment?: string }, actor)
  return NextResponse.json({ reviewed: true })
})
