import { NextResponse } from 'next/server'
import { listCampaigns } from '@/lib/campaigns/list-campaigns'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { withRole } from '@/lib/http/api-guard'

/** GET /api/campaigns[?dataset=id] — campaigns (one actor over many IPs or user agents), most usernames first. */
export const GET = withRole('viewer', async (request) => NextResponse.json({ campaigns: await listCampaigns(datasetFilter(request.nextUrl.searchParams)) }))
