import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'
import { addCampaignComment } from '@/lib/triage/triage-actions'

type Context = { params: Promise<{ id: string }> }

/** POST /api/campaigns/{id}/comments {body} — adds a comment to the campaign (author and time recorded). */
export const POST = withRole('analyst', async (request, { params }: Context, actor) => {
  const id = await idParam(params, 'campaign')
  await addCampaignComment(id, (await jsonBody(request)) as { body: string }, actor)
  return NextResponse.json({ added: true }, { status: 201 })
})
