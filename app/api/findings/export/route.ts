import { NextResponse } from 'next/server'
import { exportFindings, findingsCsv } from '@/lib/findings/export-findings'
import { findingsQueryProblems, parseFindingsQuery } from '@/lib/findings/findings-query'
import { withRole } from '@/lib/http/api-guard'
import { csvResponse, jsonError } from '@/lib/http/responses'

/** GET /api/findings/export?format=csv|json&… — exactly the findings table's current view (all pages). */
export const GET = withRole('viewer', async (request, _context, actor) => {
  const problems = findingsQueryProblems(request.nextUrl.searchParams)
  if (problems.length) return jsonError(400, problems.join('; '))
  const query = parseFindingsQuery(request.nextUrl.searchParams)
  const { rows, truncated, total } = await exportFindings(query, actor.user.id)
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
  if (request.nextUrl.searchParams.get('format') === 'csv') {
    const response = csvResponse(findingsCsv(rows), `findings-${stamp}.csv`)
    response.headers.set('x-total-findings', String(total))
    if (truncated) response.headers.set('x-truncated', 'true')
    return response
  }
  return new NextResponse(JSON.stringify({ exportedAt: new Date().toISOString(), total, truncated, findings: rows }, null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="findings-${stamp}.json"` },
  })
})
