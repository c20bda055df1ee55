import { NextResponse, type NextRequest } from 'next/server'
import { deleteSession, SESSION_COOKIE } from '@/lib/auth/sessions'
import { sameOrigin } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { clearSessionCookie } from '@/lib/http/session-cookie'

/** POST /api/auth/logout — ends the session (the cookie and its server-side record). */
export async function POST(request: NextRequest) {
  if (!sameOrigin(request)) return jsonError(403, 'cross-site request refused')
  const token = request.cookies.get(SESSION_COOKIE)?.value
  if (token) await deleteSession(token)
  const response = NextResponse.json({ signedOut: true })
  clearSessionCookie(response, request)
  return response
}
