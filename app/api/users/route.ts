import { NextResponse } from 'next/server'
import { withRole } from '@/lib/http/api-guard'
import { listAssignees } from '@/lib/triage/triage-queries'

/** GET /api/users — the people findings can be assigned to. */
export const GET = withRole('analyst', async () => NextResponse.json({ users: await listAssignees() }))
