import { NextResponse } from 'next/server'
import { getCampaign } from '@/lib/campaigns/get-campaign'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/** GET /api/campaigns/{id} — one campaign: totals, reasons, sources, hourly timeline, linked findings. */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const id = await idParam(params, 'campaign')
  const campaign = await getCampaign(id)
  return campaign ? NextResponse.json(campaign) : jsonError(404, `no campaign ${id}`)
})
