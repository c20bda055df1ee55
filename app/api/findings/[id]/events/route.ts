import { NextResponse } from 'next/server'
import { getFinding, getFindingEvents } from '@/lib/findings/finding-details'
import { withRole } from '@/lib/http/api-guard'
import { jsonError, parseId } from '@/lib/http/responses'

type Context = { params: Promise<{ id: string }> }

/** GET /api/findings/{id}/events — the sign-in events a finding counted. */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const id = parseId((await params).id)
  if (id === null) return jsonError(400, 'finding id must be a positive integer')
  if (!(await getFinding(id))) return jsonError(404, `no finding ${id}`)
  return NextResponse.json({ findingId: id, events: await getFindingEvents(id) })
})
