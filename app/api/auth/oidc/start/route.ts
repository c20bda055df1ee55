import { NextResponse, type NextRequest } from 'next/server'
import { callbackUrl, startSignIn } from '@/lib/auth/oidc'
import { oidcConfig } from '@/lib/auth/oidc-config'
import { setPendingCookie, signInFailedResponse } from '@/lib/auth/oidc-http'
import { jsonError } from '@/lib/http/responses'

/** GET /api/auth/oidc/start?next=/path — sends the browser to the identity provider to sign in. */
export async function GET(request: NextRequest) {
  try {
    const config = oidcConfig()
    if (!config) return jsonError(404, 'single sign-on is not configured')
    const { authorizationUrl, pending } = await startSignIn(config, {
      redirectUri: callbackUrl(config, request.nextUrl.origin),
      next: request.nextUrl.searchParams.get('next'),
    })
    const response = NextResponse.redirect(authorizationUrl, 302)
    setPendingCookie(response, request, pending)
    return response
  } catch (error) {
    // An unreachable IdP or a broken OIDC_* setting: the person learns so on the sign-in page.
    return signInFailedResponse(error)
  }
}
