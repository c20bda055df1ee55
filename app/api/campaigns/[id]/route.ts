import { NextResponse } from 'next/server'
import { getCampaign } from '@/lib/campaigns/get-campaign'
import { CAMPAIGN_LIST_LIMIT } from '@/lib/campaigns/campaign-types'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/**
 * GET /api/campaigns/{id} — one campaign: totals, reasons, hourly timeline, and its first
 * CAMPAIGN_LIST_LIMIT sources and findings (`sourceCount`, `findingCount` say how many there are;
 * `?sources=all`, `?findings=all` send every one).
 */
export const GET = withRole('viewer', async (request, { params }: Context) => {
  const id = await idParam(params, 'campaign')
  const query = new URL(request.url).searchParams
  const limit = (name: string) => (query.get(name) === 'all' ? null : CAMPAIGN_LIST_LIMIT)
  const campaign = await getCampaign(id, { sources: limit('sources'), findings: limit('findings') })
  return campaign ? NextResponse.json(campaign) : jsonError(404, `no campaign ${id}`)
})
