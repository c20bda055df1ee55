import { NextResponse } from 'next/server'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { withRole } from '@/lib/http/api-guard'
import { csvResponse } from '@/lib/http/responses'
import { ipParam } from '@/lib/http/route-params'
import { confirmedAccountsCsv, ipConfirmedAccounts } from '@/lib/remediation/confirmed-accounts'

type Context = { params: Promise<{ ip: string }> }

/** GET /api/ips/{ip}/confirmed-accounts[?dataset=id][&format=csv] — the accounts this address confirmed exist. */
export const GET = withRole('viewer', async (request, { params }: Context) => {
  const ip = await ipParam(params)
  const accounts = await ipConfirmedAccounts(ip, datasetFilter(request.nextUrl.searchParams))
  if (request.nextUrl.searchParams.get('format') === 'csv') return csvResponse(confirmedAccountsCsv(accounts), `ip-${ip.replace(/[:.]/g, '-')}-confirmed-accounts.csv`)
  return NextResponse.json({ ipAddress: ip, accounts })
})
