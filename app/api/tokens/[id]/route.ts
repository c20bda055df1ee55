import { NextResponse } from 'next/server'
import { revokeApiToken } from '@/lib/auth/api-tokens'
import { withRole } from '@/lib/http/api-guard'
import { jsonError } from '@/lib/http/responses'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/** DELETE /api/tokens/{id} — revokes one of your tokens (admins: anyone's). */
export const DELETE = withRole('viewer', async (_request, { params }: Context, actor) => {
  const id = await idParam(params, 'token')
  const revoked = await revokeApiToken(id, actor)
  if (!revoked) return jsonError(404, `no token ${id} of yours`)
  return NextResponse.json(revoked)
})
