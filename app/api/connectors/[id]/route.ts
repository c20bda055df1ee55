import { NextResponse } from 'next/server'
import { deleteConnector, getConnector, updateConnector, type ConnectorInput } from '@/lib/connectors/connector-store'
import { listConnectorRuns } from '@/lib/connectors/connector-runs'
import { RequestError } from '@/lib/errors'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { parseId } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/**
 * GET /api/connectors/{id}?page=N&pageSize=M — the connector and its runs, newest first, a page
 * at a time (20 by default), each with its imports, requests, retries by cause and tokens fetched.
 */
export const GET = withRole('admin', async (request, { params }: Context) => {
  const id = await idParam(params, 'connector')
  const connector = await getConnector(id)
  if (!connector) throw new RequestError(404, `no connector ${id}`)
  const search = new URL(request.url).searchParams
  const number = (name: string) => {
    const text = search.get(name)
    if (text === null) return undefined
    const value = parseId(text)
    if (value === null) throw new RequestError(400, `${name} must be a positive integer`)
    return value
  }
  return NextResponse.json({ connector, ...(await listConnectorRuns(id, { page: number('page'), pageSize: number('pageSize') })) })
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
