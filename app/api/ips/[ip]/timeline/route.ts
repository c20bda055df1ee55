import { NextResponse } from 'next/server'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { withRole } from '@/lib/http/api-guard'
import { parseDate } from '@/lib/http/edge-input'
import { jsonError } from '@/lib/http/responses'
import { getIpFineTimeline } from '@/lib/ips/get-ip-activity'
import { ipParam } from '@/lib/http/route-params'

const MAX_SPAN_MS = 7 * 24 * 3_600_000

type Context = { params: Promise<{ ip: string }> }

/** GET /api/ips/{ip}/timeline?from=ISO&to=ISO&bin=minutes — the zoomed-in timeline from the raw events. */
export const GET = withRole('viewer', async (request, { params }: Context) => {
  const ip = await ipParam(params)
  const search = request.nextUrl.searchParams
  const from = parseDate(search.get('from'))
  const to = parseDate(search.get('to'))
  const bin = Number(search.get('bin') ?? '5')
  if (!from || !to || from >= to) return jsonError(400, 'from and to must be ISO 8601 times with from before to')
  if (to.getTime() - from.getTime() > MAX_SPAN_MS) return jsonError(400, 'the range may span at most 7 days')
  if (!Number.isInteger(bin) || bin < 1 || bin > 60) return jsonError(400, 'bin must be 1 to 60 minutes')
  const timeline = await getIpFineTimeline(ip, datasetFilter(search), from, to, bin)
  return NextResponse.json({ ipAddress: ip, from: from.toISOString(), to: to.toISOString(), binMinutes: bin, timeline })
})
