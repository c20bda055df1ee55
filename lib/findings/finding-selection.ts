import { MAX_BULK_FINDINGS } from '@/lib/triage/triage-model'
import type { FindingsQuery } from './findings-query'
import { listFindings } from './list-findings'

/** A finding as a selection holds it: enough to warn before a bulk change (High or Critical). */
export interface SelectedFinding {
  id: number
  high: boolean
}

/**
 * Every finding matching a view (its filters, in its order), for "select all N matching this
 * view": at most MAX_BULK_FINDINGS, the most one bulk change takes; `total` says how many match.
 */
export async function selectFindings(query: FindingsQuery, currentUserId: number): Promise<{ findings: SelectedFinding[]; total: number; capped: boolean }> {
  const page = await listFindings({ ...query, page: 1, pageSize: MAX_BULK_FINDINGS }, currentUserId)
  return {
    findings: page.rows.map((r) => ({ id: r.id, high: r.verdict === 'High Confidence Enumeration' || r.escalated })),
    total: page.total,
    capped: page.total > page.rows.length,
  }
}
