import { NextResponse } from 'next/server'
import { derivedState } from '@/lib/derive/derived-state'
import { scheduleRecompute } from '@/lib/derive/recompute-scheduler'
import { requestRecompute } from '@/lib/derive/retry'
import { withRole } from '@/lib/http/api-guard'
import { jsonError, parseId } from '@/lib/http/responses'

type Context = { params: Promise<{ id: string }> }

/**
 * POST /api/datasets/{id}/recompute — retries a failed recompute, or recomputes an up-to-date
 * dataset from all its events (`{"full": true}` always does); leads and admins, audited. Answers
 * 202 at once with the dataset's derived state; GET /api/datasets/{id} follows it.
 */
export const POST = withRole('lead', async (request, { params }: Context, actor) => {
  const id = parseId((await params).id)
  if (id === null) return jsonError(400, 'dataset id must be a positive integer')
  const body = (await request.json().catch(() => ({}))) as unknown
  const full = typeof body === 'object' && body !== null && (body as { full?: unknown }).full === true
  const { full: inFull } = await requestRecompute(id, actor, { full })
  scheduleRecompute(id, 0)
  return NextResponse.json({ dataset: id, full: inFull, derived: await derivedState(id) }, { status: 202 })
})
