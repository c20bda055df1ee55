import { NextResponse } from 'next/server'
import { adminCreateUser } from '@/lib/auth/user-admin'
import { listUsers } from '@/lib/auth/users'
import { jsonBody, withRole } from '@/lib/http/api-guard'

/** GET /api/admin/users — every account. */
export const GET = withRole('admin', async () => NextResponse.json({ users: await listUsers() }))

/** POST /api/admin/users {email, displayName?, role, password?} — a new account (no password: single sign-on only). */
export const POST = withRole('admin', async (request, _context, actor) =>
  NextResponse.json(await adminCreateUser(actor, (await jsonBody(request)) as { email: string; role: string }), { status: 201 }),
)
