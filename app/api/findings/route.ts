import { NextResponse } from 'next/server'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { listFindings } from '@/lib/findings/list-findings'
import { withRole } from '@/lib/http/api-guard'

/** GET /api/findings — the findings table as JSON; same parameters as the /findings page URL. */
export const GET = withRole('viewer', async (request, _context, actor) => {
  const query = parseFindingsQuery(request.nextUrl.searchParams)
  const page = await listFindings(query, actor.user.id)
  return NextResponse.json({ page: query.page, pageSize: query.pageSize, sort: query.sort, ...page })
})
