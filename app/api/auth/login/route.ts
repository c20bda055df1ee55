import { NextResponse, type NextRequest } from 'next/server'
import { z } from 'zod'
import { createSession } from '@/lib/auth/sessions'
import { clearLoginFailures, loginBlocked, recordLoginFailure } from '@/lib/auth/login-throttle'
import { authenticate } from '@/lib/auth/users'
import { jsonBody, sameOrigin } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { clientAddress, setSessionCookie } from '@/lib/http/session-cookie'

const credentials = z.object({ email: z.string().max(254), password: z.string().max(1024) })

/** POST /api/auth/login {email, password} — signs in with a local account (sets the session cookie). */
export async function POST(request: NextRequest) {
  if (!sameOrigin(request)) return jsonError(403, 'cross-site request refused')
  const parsed = credentials.safeParse(await jsonBody(request).catch(() => null))
  if (!parsed.success) return jsonError(400, 'send {"email", "password"}')
  const { email, password } = parsed.data
  const client = clientAddress(request)
  if (loginBlocked(email, client)) return jsonError(429, 'too many failed sign-ins; wait 15 minutes')
  const user = await authenticate(email, password)
  if (!user) {
    recordLoginFailure(email, client)
    return jsonError(401, 'wrong e-mail or password')
  }
  clearLoginFailures(email)
  const session = await createSession(user.id)
  const response = NextResponse.json({ user: { email: user.email, displayName: user.displayName, role: user.role } })
  setSessionCookie(response, request, session.token)
  return response
}
