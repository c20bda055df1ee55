import type { NextRequest } from 'next/server'
import { finishSignIn } from '@/lib/auth/oidc'
import { oidcConfig } from '@/lib/auth/oidc-config'
import { OidcSignInError, signInFailure, SIGN_IN_FAILURES } from '@/lib/auth/oidc-error'
import { clearPendingCookie, readPendingCookie, redirectToPath, signInFailedResponse } from '@/lib/auth/oidc-http'
import { openSession, recordFailedSingleSignOn } from '@/lib/auth/sign-in'
import { clientAddress, UNKNOWN_CLIENT } from '@/lib/http/client-address'
import { setSessionCookie } from '@/lib/http/session-cookie'

/**
 * GET /api/auth/oidc/callback — where the identity provider sends the browser back: checks the
 * answer against the sign-in this browser started, starts a session and goes on to the page
 * the person wanted. Any failure lands on the sign-in page with the reason.
 */
export async function GET(request: NextRequest) {
  const pending = readPendingCookie(request)
  const address = clientAddress(request.headers)
  const client = address === UNKNOWN_CLIENT ? null : address
  let response
  try {
    const config = oidcConfig()
    if (!config) throw new OidcSignInError(SIGN_IN_FAILURES.notConfigured)
    if (!pending) throw new OidcSignInError(SIGN_IN_FAILURES.expired)
    const user = await finishSignIn(config, pending, request.nextUrl.searchParams)
    const token = await openSession(user, 'oidc', client)
    response = redirectToPath(pending.next)
    setSessionCookie(response, request, token)
  } catch (error) {
    response = signInFailedResponse(error)
    // The audit trail must not turn a refused sign-in into a server error.
    await recordFailedSingleSignOn(signInFailure(error).message, client).catch(() => {})
  }
  // One sign-in, one use: a replayed callback finds no pending sign-in.
  clearPendingCookie(response, request)
  return response
}
