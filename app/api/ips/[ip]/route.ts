import { NextResponse } from 'next/server'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { withRole } from '@/lib/http/api-guard'
import { ipParam } from '@/lib/http/route-params'
import { getIpActivity } from '@/lib/ips/get-ip-activity'

type Context = { params: Promise<{ ip: string }> }

/** GET /api/ips/{ip}[?dataset=id] — one source IP: summary, timeline, every bucket, clients, locations. */
export const GET = withRole('viewer', async (request, { params }: Context) =>
  NextResponse.json(await getIpActivity(await ipParam(params), datasetFilter(request.nextUrl.searchParams))),
)
