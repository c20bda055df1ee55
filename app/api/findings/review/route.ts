import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { approveFindings } from '@/lib/triage/triage-actions'

/**
 * POST /api/findings/review {findingIds | view + expected, decision: "approve"} — a lead approves a
 * selection of the review queue at once (all or none): ids, or every finding of the view (its
 * query string) when it still matches the `expected` number the lead confirmed.
 */
export const POST = withRole('lead', async (request, _context, actor) => NextResponse.json(await approveFindings((await jsonBody(request)) as never, actor)))
