import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { undoTriageBatch } from '@/lib/triage/triage-actions'

/**
 * POST /api/findings/triage/undo {batch} — takes back one bulk owner, status or severity change
 * (findings or campaigns) its maker made within a day: `{restored, kept}`, kept being the records
 * changed again since, which keep their newer value.
 */
export const POST = withRole('analyst', async (request, _context, actor) => NextResponse.json(await undoTriageBatch((await jsonBody(request)) as never, actor)))
