import type { NextRequest, NextResponse } from 'next/server'
import { SESSION_COOKIE } from '@/lib/auth/sessions'

/** HTTP-only, same-site, and Secure whenever the app is reached over HTTPS. */
export function setSessionCookie(response: NextResponse, request: NextRequest, token: string): void {
  response.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps(request),
    path: '/',
    maxAge: 7 * 24 * 3600,
  })
}

export function clearSessionCookie(response: NextResponse, request: NextRequest): void {
  response.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: isHttps(request), path: '/', maxAge: 0 })
}

function isHttps(request: NextRequest): boolean {
  if (process.env.ET_SECURE_COOKIES === '1') return true
  return (request.headers.get('x-forwarded-proto') ?? request.nextUrl.protocol.replace(':', '')) === 'https'
}
