import { NextResponse } from 'next/server'
import { deleteDataset } from '@/lib/datasets/datasets'
import { getDatasetSummary } from '@/lib/datasets/list-datasets'
import { withRole } from '@/lib/http/api-guard'
import { jsonError, parseId } from '@/lib/http/responses'

type Context = { params: Promise<{ id: string }> }

/** GET /api/datasets/{id} — one dataset with its imports. */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const id = parseId((await params).id)
  if (id === null) return jsonError(400, 'dataset id must be a positive integer')
  const dataset = await getDatasetSummary(id)
  return dataset ? NextResponse.json(dataset) : jsonError(404, `no dataset ${id}`)
})

/** DELETE /api/datasets/{id} — the dataset, its events, imports, findings and triage (lead or admin). */
export const DELETE = withRole('lead', async (_request, { params }: Context, actor) => {
  const id = parseId((await params).id)
  if (id === null) return jsonError(400, 'dataset id must be a positive integer')
  // What the audit entry keeps of it; its imports are not part of that.
  const dataset = await getDatasetSummary(id, { take: 0 })
  if (!dataset) return jsonError(404, `no dataset ${id}`)
  await deleteDataset(id, { actor, before: { name: dataset.name, events: dataset.events, findings: dataset.findings } })
  return NextResponse.json({ deleted: id })
})
