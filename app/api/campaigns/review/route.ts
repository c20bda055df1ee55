import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { bulkCampaignReviewSchema, reviewCampaigns } from '@/lib/triage/triage-actions'

/** POST /api/campaigns/review {campaignIds, decision: "approve"} — a lead approves campaigns of the review queue at once (all or none). */
export const POST = withRole('lead', async (request, _context, actor) => {
  const { campaignIds, decision } = bulkCampaignReviewSchema.parse(await jsonBody(request))
  return NextResponse.json(await reviewCampaigns(campaignIds, { decision }, actor))
})
