import { NextResponse } from 'next/server'
import { withRole } from '@/lib/http/api-guard'

/** GET /api/auth/me — who the session or token acts as. */
export const GET = withRole('viewer', async (_request, _context, actor) =>
  NextResponse.json({ email: actor.user.email, displayName: actor.user.displayName, role: actor.user.role, via: actor.via, tokenName: actor.tokenName ?? null }),
)
