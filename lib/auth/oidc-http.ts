import { NextResponse, type NextRequest } from 'next/server'
import { pendingSignInSchema, type PendingSignIn } from './oidc'
import { signInFailure } from './oidc-error'

/**
 * The cookie carrying a sign-in from start to callback. HTTP-only so page scripts never see
 * the PKCE verifier; SameSite=Lax because the callback is a top-level navigation coming from
 * the IdP's site; scoped to the SSO routes; gone after ten minutes, as is a forgotten sign-in.
 */
export const OIDC_COOKIE = 'et_oidc'
const COOKIE_PATH = '/api/auth/oidc'
const MAX_AGE_SECONDS = 600

function secure(request: NextRequest, redirectUri?: string): boolean {
  if (process.env.ET_SECURE_COOKIES === '1' || redirectUri?.startsWith('https:')) return true
  return (request.headers.get('x-forwarded-proto') ?? request.nextUrl.protocol.replace(':', '')) === 'https'
}

export function setPendingCookie(response: NextResponse, request: NextRequest, pending: PendingSignIn): void {
  response.cookies.set(OIDC_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(request, pending.redirectUri),
    path: COOKIE_PATH,
    maxAge: MAX_AGE_SECONDS,
  })
}

/** The sign-in this browser started, or null when there is none (expired, other browser, tampered). */
export function readPendingCookie(request: NextRequest): PendingSignIn | null {
  const value = request.cookies.get(OIDC_COOKIE)?.value
  if (!value) return null
  try {
    const parsed = pendingSignInSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export function clearPendingCookie(response: NextResponse, request: NextRequest): void {
  response.cookies.set(OIDC_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: secure(request), path: COOKIE_PATH, maxAge: 0 })
}

/** A redirect to a path of this site; relative, so it holds behind any proxy. */
export function redirectToPath(path: string): NextResponse {
  return new NextResponse(null, { status: 302, headers: { location: path } })
}

/** Back to the sign-in page with a short reason; the details go to the server log only. */
export function signInFailedResponse(error: unknown): NextResponse {
  const failure = signInFailure(error)
  console.warn(`[oidc] single sign-on failed: ${failure.message}`, failure.cause ?? '')
  return redirectToPath(`/login?error=${encodeURIComponent(failure.message)}`)
}
