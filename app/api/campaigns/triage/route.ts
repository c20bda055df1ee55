import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { applyCampaignTriage, campaignTriageChangeSchema } from '@/lib/triage/triage-actions'

/**
 * POST /api/campaigns/triage — one change for one or many campaigns, as for findings:
 * `{campaignIds, assign?: userId|null, status?: "new"|"active", severity?: …|null,
 *   close?: {classification, reason, comment?}, closeFindings?: boolean}`. With closeFindings the
 * campaigns' open findings are closed in the same transaction.
 */
export const POST = withRole('analyst', async (request, _context, actor) => {
  const change = campaignTriageChangeSchema.parse(await jsonBody(request))
  return NextResponse.json(await applyCampaignTriage(change, actor))
})
