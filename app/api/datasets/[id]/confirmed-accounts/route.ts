import { NextResponse } from 'next/server'
import { withRole } from '@/lib/http/api-guard'
import { csvResponse } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'
import { confirmedAccounts, confirmedAccountsCsv } from '@/lib/remediation/confirmed-accounts'

type Context = { params: Promise<{ id: string }> }

/** GET /api/datasets/{id}/confirmed-accounts[?format=csv][&suppressed=1] — the remediation list: accounts attackers confirmed exist. */
export const GET = withRole('viewer', async (request, { params }: Context) => {
  const id = await idParam(params, 'dataset')
  const accounts = await confirmedAccounts({ datasetId: id, includeSuppressed: request.nextUrl.searchParams.get('suppressed') === '1' })
  if (request.nextUrl.searchParams.get('format') === 'csv') return csvResponse(confirmedAccountsCsv(accounts), `dataset-${id}-confirmed-accounts.csv`)
  return NextResponse.json({ datasetId: id, accounts })
})
