import { NextResponse } from 'next/server'
import { checkHealth } from '@/lib/health/health'

export const dynamic = 'force-dynamic'

/**
 * GET /api/health — which part is down: the app (it answers), the database, the embedded
 * database's supervisor. No sign-in needed (for monitors and load balancers); it reveals no
 * host, version or error text. 200 when the database answers, 503 when it does not.
 */
export async function GET() {
  const health = await checkHealth()
  return NextResponse.json(health, { status: health.database.status === 'up' ? 200 : 503, headers: { 'cache-control': 'no-store' } })
}
