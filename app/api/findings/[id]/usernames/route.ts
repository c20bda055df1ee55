import { NextResponse } from 'next/server'
import { getFinding, getFindingUsernames } from '@/lib/findings/finding-details'
import { findingUsernamesCsv } from '@/lib/findings/usernames-csv'
import { withRole } from '@/lib/http/api-guard'
import { csvResponse, jsonError, parseId } from '@/lib/http/responses'

type Context = { params: Promise<{ id: string }> }

/** GET /api/findings/{id}/usernames[?format=csv] — every username behind a finding. */
export const GET = withRole('viewer', async (request, { params }: Context) => {
  const id = parseId((await params).id)
  if (id === null) return jsonError(400, 'finding id must be a positive integer')
  const finding = await getFinding(id)
  if (!finding) return jsonError(404, `no finding ${id}`)
  const usernames = await getFindingUsernames(id)
  if (request.nextUrl.searchParams.get('format') === 'csv') {
    const csv = findingUsernamesCsv(finding, usernames)
    return csvResponse(csv, `finding-${id}-usernames.csv`)
  }
  return NextResponse.json({ findingId: id, usernames })
})
