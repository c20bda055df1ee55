import { NextResponse } from 'next/server'
import { RequestError } from '@/lib/errors'
import { getFinding } from '@/lib/findings/finding-details'
import { withRole } from '@/lib/http/api-guard'
import { csvResponse } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'
import { confirmedAccounts, confirmedAccountsCsv } from '@/lib/remediation/confirmed-accounts'

type Context = { params: Promise<{ id: string }> }

/** GET /api/findings/{id}/confirmed-accounts[?format=csv] — the accounts this finding's source confirmed exist. */
export const GET = withRole('viewer', async (request, { params }: Context) => {
  const id = await idParam(params, 'finding')
  if (!(await getFinding(id))) throw new RequestError(404, `no finding ${id}`)
  const accounts = await confirmedAccounts({ findingId: id })
  if (request.nextUrl.searchParams.get('format') === 'csv') return csvResponse(confirmedAccountsCsv(accounts), `finding-${id}-confirmed-accounts.csv`)
  return NextResponse.json({ findingId: id, accounts })
})
