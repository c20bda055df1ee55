import { NextResponse, type NextRequest } from 'next/server'
import { databaseGate } from '@/lib/http/database-gate'

/**
 * A Content-Security-Policy with a fresh nonce for every page: Next.js reads the nonce from the
 * request's policy and puts it on its own scripts, so only those run — an injected <script> or
 * event handler does not, even if some value ever escaped React's escaping. Styles stay
 * 'unsafe-inline': React style attributes and Recharts' inline styles need it, and CSS cannot
 * run code. The headers every response gets (framing, sniffing, referrer) are in next.config.js.
 *
 * First, while the database is down or restarting: a 503 page that says so
 * (lib/http/database-gate.ts) rather than a 500 from the page's first query. API routes answer
 * their own 503 (lib/http/api-guard.ts).
 */
export async function proxy(request: NextRequest) {
  const unavailable = await databaseGate()
  if (unavailable) return unavailable
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')
  const dev = process.env.NODE_ENV === 'development'
  const policy = [
    "default-src 'self'",
    // React uses eval in development only, for its error overlay and stacks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
  const headers = new Headers(request.headers)
  headers.set('x-nonce', nonce)
  headers.set('content-security-policy', policy)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set('content-security-policy', policy)
  return response
}

export const config = {
  // Pages only: API answers are JSON or files with their own policy (next.config.js), and
  // static assets need none.
  matcher: ['/((?!api/|_next/static|_next/image|icon.svg|favicon.ico).*)'],
}
