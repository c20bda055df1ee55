import { NextResponse } from 'next/server'
import { getFinding } from '@/lib/findings/finding-details'
import { withRole } from '@/lib/http/api-guard'
import { jsonError, parseId } from '@/lib/http/responses'

type Context = { params: Promise<{ id: string }> }

/** GET /api/findings/{id} — one stored finding. */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const id = parseId((await params).id)
  if (id === null) return jsonError(400, 'finding id must be a positive integer')
  const finding = await getFinding(id)
  return finding ? NextResponse.json(finding) : jsonError(404, `no finding ${id}`)
})
