import { NextResponse } from 'next/server'
import { createConnector, listConnectors, type ConnectorInput } from '@/lib/connectors/connector-store'
import { jsonBody, withRole } from '@/lib/http/api-guard'

/** GET /api/connectors — every connector (settings without secrets). */
export const GET = withRole('admin', async () => NextResponse.json({ connectors: await listConnectors() }))

/** POST /api/connectors {name, kind, dataset, settings, secret, scheduleMinutes?, …} — a new connector; the secret is encrypted at rest. */
export const POST = withRole('admin', async (request, _context, actor) =>
  NextResponse.json(await createConnector((await jsonBody(request)) as ConnectorInput, actor), { status: 201 }),
)
