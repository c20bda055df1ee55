import { NextResponse } from 'next/server'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { selectFindings } from '@/lib/findings/finding-selection'
import { withRole } from '@/lib/http/api-guard'

/** GET /api/findings/ids?<the findings view's parameters> — every finding the view matches (for "select all"), at most 5,000. */
export const GET = withRole('analyst', async (request, _context, actor) =>
  NextResponse.json(await selectFindings(parseFindingsQuery(request.nextUrl.searchParams), actor.user.id)),
)
