import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { applyTriage, triageChangeSchema } from '@/lib/triage/triage-actions'

/**
 * POST /api/findings/triage — one change for one or many findings (the table's bulk actions):
 * `{findingIds, assign?: userId|null, status?: "new"|"active", severity?: …|null,
 *   close?: {classification, reason, comment?}}`.
 */
export const POST = withRole('analyst', async (request, _context, actor) => {
  const change = triageChangeSchema.parse(await jsonBody(request))
  return NextResponse.json(await applyTriage(change, actor))
})
