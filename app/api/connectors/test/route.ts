import { NextResponse } from 'next/server'
import { testConnection } from '@/lib/connectors/test-connection'
import { jsonBody, withRole } from '@/lib/http/api-guard'

/**
 * POST /api/connectors/test {kind, settings, secret?, connectorId?} — tests a configuration against the service, saved or not.
 * Without `secret`, the saved secret of `connectorId` is used, and only with the saved endpoints. Audited.
 */
export const POST = withRole('admin', async (request, _context, actor) =>
  NextResponse.json(await testConnection((await jsonBody(request)) as Parameters<typeof testConnection>[0], actor)),
)
