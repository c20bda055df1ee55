import { cookies, headers } from 'next/headers'
import { cache } from 'react'
import type { Actor } from '@/lib/auth/actor'
import { tokenUser } from '@/lib/auth/api-tokens'
import { SESSION_COOKIE, sessionUser } from '@/lib/auth/sessions'

/**
 * Who is asking, for this request: a session cookie (browsers) or a bearer token (scripts).
 * Resolved once per request.
 */
export const requestActor = cache(async (): Promise<Actor | null> => {
  const authorization = (await headers()).get('authorization')
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    if (!match) return null
    const found = await tokenUser(match[1])
    return found ? { user: found.user, via: 'token', tokenName: found.tokenName } : null
  }
  const token = (await cookies()).get(SESSION_COOKIE)?.value
  if (!token) return null
  const user = await sessionUser(token)
  return user ? { user, via: 'session' } : null
})
