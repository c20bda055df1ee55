import { NextResponse } from 'next/server'
import { RequestError } from '@/lib/errors'
import { getPrisma } from '@/lib/db/database'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'
import { datasetSettings, saveDatasetSettings } from '@/lib/tuning/dataset-settings'

type Context = { params: Promise<{ id: string }> }

async function dataset(params: Context['params']): Promise<number> {
  const id = await idParam(params, 'dataset')
  if (!(await (await getPrisma()).dataset.findUnique({ where: { id } }))) throw new RequestError(404, `no dataset ${id}`)
  return id
}

/** GET /api/datasets/{id}/settings — the dataset's detection settings (the defaults when never changed). */
export const GET = withRole('viewer', async (_request, { params }: Context) => NextResponse.json(await datasetSettings(await dataset(params))))

/** PUT /api/datasets/{id}/settings — saves them and recomputes the dataset's findings (leads; audited). */
export const PUT = withRole('lead', async (request, { params }: Context, actor) => NextResponse.json(await saveDatasetSettings(await dataset(params), await jsonBody(request), actor)))
