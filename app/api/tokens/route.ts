import { NextResponse } from 'next/server'
import { z } from 'zod'
import { createApiToken, listApiTokens, TokenError } from '@/lib/auth/api-tokens'
import { ROLES } from '@/lib/auth/roles'
import { RequestError } from '@/lib/errors'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { isoTimeSchema } from '@/lib/http/edge-input'

const newToken = z.object({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES), expiresAt: isoTimeSchema.nullable().default(null) })

/** GET /api/tokens — your API tokens (never the secrets). */
export const GET = withRole('viewer', async (_request, _context, actor) => NextResponse.json({ tokens: await listApiTokens(actor.user.id) }))

/** POST /api/tokens {name, role, expiresAt?} — a new token, returned once; its role is at most yours. */
export const POST = withRole('viewer', async (request, _context, actor) => {
  if (actor.via === 'token') throw new RequestError(403, 'tokens are created from a signed-in session, not with another token')
  const input = newToken.parse(await jsonBody(request))
  const created = await createApiToken(actor.user, input.name, input.role, input.expiresAt ? new Date(input.expiresAt) : null, actor).catch((error: Error) => {
    // Only our own rule's words go back to the caller; anything else is a server fault.
    throw error instanceof TokenError ? new RequestError(400, error.message) : error
  })
  return NextResponse.json({ token: created.token, summary: created.summary }, { status: 201 })
})
