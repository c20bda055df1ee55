import { NextResponse } from 'next/server'
import { capRecordJson } from '@/lib/display/cap-text'
import { getEventRecord } from '@/lib/events/get-event-record'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'

type Context = { params: Promise<{ id: string }> }

/** GET /api/events/{id} — one event's original record, as the log had it (`raw`, JSON text). */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const text = (await params).id
  if (!/^\d{1,18}$/.test(text)) return jsonError(400, 'event id must be a positive integer')
  const record = await getEventRecord(BigInt(text))
  if (!record) return jsonError(404, `no event ${text}`)
  // Values beyond RECORD_VALUE_MAX_CHARS are shortened (saying so) to keep the page and the response bounded.
  const { raw, shortened } = capRecordJson(record.raw)
  return NextResponse.json({ ...record, raw, shortened })
})
