import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { BUILT_IN_VIEWS, listSavedViews, saveView } from '@/lib/views/saved-views'

/** GET /api/saved-views — the built-in views and your own. */
export const GET = withRole('viewer', async (_request, _context, actor) => NextResponse.json({ builtIn: BUILT_IN_VIEWS, saved: await listSavedViews(actor.user.id) }))

/** POST /api/saved-views {name, query} — saves (or replaces) one of your views. */
export const POST = withRole('viewer', async (request, _context, actor) => NextResponse.json(await saveView(actor.user.id, (await jsonBody(request)) as { name: string; query: string }), { status: 201 }))
