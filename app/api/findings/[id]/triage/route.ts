import { NextResponse } from 'next/server'
import { getFinding } from '@/lib/findings/finding-details'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'
import { getFindingTriage } from '@/lib/triage/triage-queries'

type Context = { params: Promise<{ id: string }> }

/** GET /api/findings/{id}/triage — status, owner, severity, classification, review, comments and the audit trail. */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const id = await idParam(params, 'finding')
  const finding = await getFinding(id)
  if (!finding) return jsonError(404, `no finding ${id}`)
  return NextResponse.json(await getFindingTriage(id, finding.verdict, finding.escalated))
})
