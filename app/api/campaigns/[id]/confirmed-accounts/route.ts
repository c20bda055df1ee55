import { NextResponse } from 'next/server'
import { campaignConfirmedAccounts, campaignConfirmedAccountsCsv } from '@/lib/campaigns/confirmed-accounts'
import { getCampaignSummary } from '@/lib/campaigns/get-campaign'
import { withRole } from '@/lib/http/api-guard'
import { csvResponse, jsonError } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/** GET /api/campaigns/{id}/confirmed-accounts[?format=csv] — the accounts the campaign learnt exist (the remediation list). */
export const GET = withRole('viewer', async (request, { params }: Context) => {
  const id = await idParam(params, 'campaign')
  const campaign = await getCampaignSummary(id)
  if (!campaign) return jsonError(404, `no campaign ${id}`)
  const accounts = await campaignConfirmedAccounts(id)
  if (request.nextUrl.searchParams.get('format') === 'csv') return csvResponse(campaignConfirmedAccountsCsv(accounts), `campaign-${id}-confirmed-accounts.csv`)
  return NextResponse.json({ campaignId: id, accounts })
})
