import { NextResponse } from 'next/server'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { createSuppression, listSuppressions, SUPPRESSION_TEMPLATES, type SuppressionInput } from '@/lib/tuning/suppressions'

/** GET /api/suppressions[?dataset=id] — the rules (global and the dataset's) and the templates for the known false positives. */
export const GET = withRole('viewer', async (request) =>
  NextResponse.json({ rules: await listSuppressions(datasetFilter(request.nextUrl.searchParams)?.[0] ?? null), templates: SUPPRESSION_TEMPLATES }),
)

/** POST /api/suppressions {name, cidr?, upnPattern?, userAgentPattern?, appName?, reason, expiresAt?, datasetId?, hideCritical?} — a new rule (leads); 409 when it would hide a Critical finding and hideCritical is not true. */
export const POST = withRole('lead', async (request, _context, actor) =>
  NextResponse.json(await createSuppression((await jsonBody(request)) as SuppressionInput, actor), { status: 201 }),
)
