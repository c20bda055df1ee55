import { NextResponse, type NextRequest } from 'next/server'
import { z } from 'zod'
import { createFirstAdmin, SetupCodeError } from '@/lib/auth/first-admin'
import { createSession } from '@/lib/auth/sessions'
import { countUsers, UserError } from '@/lib/auth/users'
import { jsonBody, sameOrigin } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { setSessionCookie } from '@/lib/http/session-cookie'

const body = z.object({ setupCode: z.string().max(100), email: z.string().max(254), displayName: z.string().max(120).default(''), password: z.string().max(1024) })

/**
 * POST /api/setup {setupCode, email, displayName, password} — first-run only: with the one-time
 * code printed in the server console, creates the first administrator and signs them in.
 */
export async function POST(request: NextRequest) {
  if (!sameOrigin(request)) return jsonError(403, 'cross-site request refused')
  if ((await countUsers()) > 0) return jsonError(403, 'setup is already done: sign in instead')
  const parsed = body.safeParse(await jsonBody(request).catch(() => null))
  if (!parsed.success) return jsonError(400, 'send {"setupCode", "email", "displayName", "password"}')
  try {
    const user = await createFirstAdmin(parsed.data.email, parsed.data.displayName, parsed.data.password, parsed.data.setupCode)
    const session = await createSession(user.id)
    const response = NextResponse.json({ user: { email: user.email, role: user.role } }, { status: 201 })
    setSessionCookie(response, request, session.token)
    return response
  } catch (error) {
    if (error instanceof SetupCodeError) return jsonError(403, error.message)
    if (error instanceof UserError) return jsonError(error.message.startsWith('setup is already') ? 403 : 400, error.message)
    throw error
  }
}
