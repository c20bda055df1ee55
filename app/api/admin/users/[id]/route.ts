import { NextResponse } from 'next/server'
import { adminUpdateUser } from '@/lib/auth/user-admin'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'

type Context = { params: Promise<{ id: string }> }

/** PATCH /api/admin/users/{id} {role?, disabled?, displayName?, password?} — changes an account (audited). */
export const PATCH = withRole('admin', async (request, { params }: Context, actor) =>
  NextResponse.json(await adminUpdateUser(actor, await idParam(params, 'user'), (await jsonBody(request)) as Record<string, unknown>)),
)
