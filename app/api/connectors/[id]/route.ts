import { NextResponse } from 'next/server'
import { deleteConnector, getConnector, updateConnector, type ConnectorInput } from '@/lib/connectors/connector-store'
import { listConnectorRuns } from '@/lib/connectors/connector-runs'
import { RequestError } from '@/lib/errors'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/** GET /api/connectors/{id} — the connector and its recent runs with their imports. */
export const GET = withRole('admin', async (_request, { params }: Context) => {
  const id = await idParam(params, 'connector')
  const connector = await getConnector(id)
  if (!connector) throw new RequestError(404, `no connector ${id}`)
  return NextResponse.json({ connector, runs: await listConnectorRuns(id) })
})

/** PUT /api/connectors/{id} — changes it; an empty secret keeps the stored one. */
export const PUT = withRole('admin', async (request, { params }: Context, actor) =>
  NextResponse.json(await updateConnector(await idParam(params, 'connector'), (await jsonBody(request)) as ConnectorInput, actor)),
)

/** DELETE /api/connectors/{id} — removes the connector (its dataset and events stay). */
export const DELETE = withRole('admin', async (_request, { params }: Context, actor) => {
  const id = await idParam(params, 'connector')
  await deleteConnector(id, actor)
  return NextResponse.json({ deleted: id })
})
