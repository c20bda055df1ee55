import { NextResponse } from 'next/server'
import { getEventRecord } from '@/lib/events/get-event-record'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'

type Context = { params: Promise<{ id: string }> }

/** GET /api/events/{id} — one event's original record, as the log had it (`raw`, JSON text). */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const text = (await params).id
  if (!/^\d{1,18}$/.test(text)) return jsonError(400, 'event id must be a positive integer')
  const record = await getEventRecord(BigInt(text))
  return record ? NextResponse.json(record) : jsonError(404, `no event ${text}`)
})
