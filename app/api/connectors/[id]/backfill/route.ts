import { NextResponse } from 'next/server'
import { createBackfill, parseBackfillWindow } from '@/lib/connectors/backfill'
import { runBackfill } from '@/lib/connectors/run-connector'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/**
 * POST /api/connectors/{id}/backfill {from, to} — pulls a chosen window into the connector's
 * dataset beside its schedule (dates: whole UTC days, `to` included; times: ISO 8601 with zone,
 * `to` excluded). 400 outside the service's retention; runs in the background (poll GET
 * /api/connectors/{id}).
 */
export const POST = withRole('admin', async (request, { params }: Context, actor) => {
  const id = await idParam(params, 'connector')
  const body = (await jsonBody(request)) as { from?: unknown; to?: unknown } | null
  const window = parseBackfillWindow(body?.from, body?.to)
  const runId = await createBackfill(id, window, actor)
  void runBackfill(runId, { startedById: actor.user.id }).catch((error: Error) => console.error(`[connectors] backfill run ${runId}: ${error.message}`))
  return NextResponse.json({ runId, from: window.from.toISOString(), to: window.to.toISOString() }, { status: 202 })
})
