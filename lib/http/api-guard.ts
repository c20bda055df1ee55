import { NextResponse, type NextRequest } from 'next/server'
import { ZodError } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { atLeast, type Role } from '@/lib/auth/roles'
import { RequestError } from '@/lib/errors'
import { isDatabaseUnavailable } from '@/lib/db/database-errors'
import { databaseUnavailableJson } from './database-gate'
import { commonQueryProblem, jsonTextProblem } from './edge-input'
import { jsonError } from './responses'
import { requestActor } from './request-actor'

type Handler<Context> = (request: NextRequest, context: Context, actor: Actor) => Promise<Response>

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])


/**
 * Wraps an API route handler: 401 without a valid session or token, 403 below the role, 403
 * for a cookie-authenticated change coming from another site (CSRF), 400 for invalid input
 * (the parameters every route shares are checked here, lib/http/edge-input.ts).
 */
export function withRole<Context>(minimum: Role, handler: Handler<Context>): (request: NextRequest, context: Context) => Promise<Response> {
  return async (request, context) => {
    try {
      return await guarded(minimum, handler, request, context)
    } catch (error) {
      // The database is down or restarting: 503 with Retry-After, not a 500.
      if (isDatabaseUnavailable(error)) return databaseUnavailableJson()
      throw error
    }
  }
}

async function guarded<Context>(minimum: Role, handler: Handler<Context>, request: NextRequest, context: Context): Promise<Response> {
  const actor = await requestActor()
  if (!actor) return jsonError(401, 'sign in or send an API token (Authorization: Bearer …)')
  if (!atLeast(actor.user.role, minimum)) return jsonError(403, `this needs the ${minimum} role; you are ${actor.user.role}`)
  if (actor.via === 'session' && MUTATING.has(request.method) && !sameOrigin(request)) {
    return jsonError(403, 'cross-site request refused')
  }
  const queryProblem = commonQueryProblem(request.nextUrl.searchParams)
  if (queryProblem) return jsonError(400, queryProblem)
  try {
    return await handler(request, context, actor)
  } catch (error) {
    if (error instanceof RequestError) return jsonError(error.status, error.message)
    if (error instanceof ZodError) return NextResponse.json({ error: 'invalid request', issues: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`) }, { status: 400 })
    throw error
  }
}

/** Browsers send Origin on cross-site requests; a change must come from our own pages. */
export function sameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get('origin')
  if (!origin) return request.headers.get('sec-fetch-site') !== 'cross-site'
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host')
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/** The JSON body, or 400 when it is not JSON or holds text PostgreSQL cannot store (NUL). */
export async function jsonBody(request: NextRequest): Promise<unknown> {
  let body: unknown
  try {
    body = await request.json()
  } catch {
    throw new RequestError(400, 'the request body must be JSON')
  }
  const problem = jsonTextProblem(body)
  if (problem) throw new RequestError(400, problem)
  return body
}
