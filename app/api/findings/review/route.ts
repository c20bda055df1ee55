import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { bulkReviewSchema, reviewFindings } from '@/lib/triage/triage-actions'

/** POST /api/findings/review {findingIds, decision: "approve"} — a lead approves a selection of the review queue at once (all or none). */
export const POST = withRole('lead', async (request, _context, actor) => {
  const { findingIds, decision } = bulkReviewSchema.parse(await jsonBody(request))
  return NextResponse.json(await reviewFindings(findingIds, { decision }, actor))
})
