import { NextResponse } from 'next/server'
import { actorLabel } from '@/lib/auth/actor'
import { evidenceBundle } from '@/lib/findings/evidence-bundle'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/** GET /api/findings/{id}/evidence — the finding, its usernames, raw events and triage history in one JSON file. */
export const GET = withRole('viewer', async (_request, { params }: Context, actor) => {
  const id = await idParam(params, 'finding')
  const bundle = await evidenceBundle(id, actorLabel(actor))
  if (!bundle) return jsonError(404, `no finding ${id}`)
  return new NextResponse(JSON.stringify(bundle, null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="finding-${id}-evidence.json"` },
  })
})
