import { NextResponse } from 'next/server'
import { getConnector } from '@/lib/connectors/connector-store'
import { runConnector } from '@/lib/connectors/run-connector'
import { RequestError } from '@/lib/errors'
import { withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/** POST /api/connectors/{id}/run — starts a pull now; it runs in the background (poll GET /api/connectors/{id}). */
export const POST = withRole('admin', async (_request, { params }: Context, actor) => {
  const id = await idParam(params, 'connector')
  const connector = await getConnector(id)
  if (!connector) throw new RequestError(404, `no connector ${id}`)
  if (connector.running) throw new RequestError(409, `${connector.name} is already running`)
  if (!connector.enabled) throw new RequestError(409, `${connector.name} is disabled`)
  void runConnector(id, { startedById: actor.user.id }).catch((error: Error) => console.error(`[connectors] ${connector.name}: ${error.message}`))
  return NextResponse.json({ started: id }, { status: 202 })
})
