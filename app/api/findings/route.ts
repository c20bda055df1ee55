import { NextResponse } from 'next/server'
import { findingsQueryProblems, lastPage, parseFindingsQuery } from '@/lib/findings/findings-query'
import { listFindings } from '@/lib/findings/list-findings'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'

/** GET /api/findings — the findings table as JSON; same parameters as the /findings page URL (400 when one is invalid). */
export const GET = withRole('viewer', async (request, _context, actor) => {
  const problems = findingsQueryProblems(request.nextUrl.searchParams)
  if (problems.length) return jsonError(400, problems.join('; '))
  const query = parseFindingsQuery(request.nextUrl.searchParams)
  const page = await listFindings(query, actor.user.id)
  const last = lastPage(page.total, query.pageSize)
  if (query.page > last) return jsonError(400, `page ${query.page} is past the last page, ${last} (${page.total} findings, ${query.pageSize} a page)`)
  return NextResponse.json({ page: query.page, pageSize: query.pageSize, sort: query.sort, ...page })
})
