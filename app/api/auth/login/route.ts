import { NextResponse, type NextRequest } from 'next/server'
import { z } from 'zod'
import { signInWithPassword } from '@/lib/auth/sign-in'
import { jsonBody, sameOrigin } from '@/lib/http/api-guard'
import { clientAddress, UNKNOWN_CLIENT } from '@/lib/http/client-address'
import { jsonError } from '@/lib/http/responses'
import { setSessionCookie } from '@/lib/http/session-cookie'

const credentials = z.object({ email: z.string().max(254), password: z.string().max(1024) })

/** POST /api/auth/login {email, password} — signs in with a local account (sets the session cookie). */
export async function POST(request: NextRequest) {
  if (!sameOrigin(request)) return jsonError(403, 'cross-site request refused')
  const parsed = credentials.safeParse(await jsonBody(request).catch(() => null))
  if (!parsed.success) return jsonError(400, 'send {"email", "password"}')
  const client = clientAddress(request.headers)
  const result = await signInWithPassword(parsed.data.email, parsed.data.password, client === UNKNOWN_CLIENT ? null : client)
  if (result.outcome === 'throttled') {
    const minutes = Math.ceil(result.retryAfterSeconds / 60)
    const response = jsonError(429, `too many failed sign-ins: try again in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}`)
    response.headers.set('retry-after', String(result.retryAfterSeconds))
    return response
  }
  if (result.outcome === 'wrong') return jsonError(401, 'wrong e-mail or password')
  const response = NextResponse.json({ user: { email: result.user.email, displayName: result.user.displayName, role: result.user.role } })
  setSessionCookie(response, request, result.token)
  return response
}
