import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { previewSuppression } from '@/lib/tuning/suppression-preview'

/** POST /api/suppressions/preview {datasetId?, cidr?, upnPattern?, userAgentPattern?, appName?, expiresAt?} — the findings a rule would hide; nothing is saved. */
export const POST = withRole('lead', async (request) => NextResponse.json(await previewSuppression(await jsonBody(request))))
