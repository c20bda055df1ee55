import { getPrisma } from '@/lib/db/database'
import type { Verdict } from '@/lib/detection/verdicts'
import { sqlFile } from '@/lib/sql-file'
import type { Classification, ReviewStatus, TriageStatus } from './triage-model'

/** A campaign in the review queue, with what a lead reviews. */
export interface CampaignReviewRow {
  id: number
  datasetId: number
  datasetName: string
  verdict: Verdict
  ipCount: number
  uniqueUsernames: number
  attempts: number
  firstSeen: string
  lastSeen: string
  triageStatus: TriageStatus
  reviewStatus: ReviewStatus
  classification: Classification | null
  closeReason: string | null
  closedAt: string | null
  closedByEmail: string | null
  ownerEmail: string | null
}

/** The most campaigns the queue lists at once; the oldest closures come first. */
export const CAMPAIGN_REVIEW_LIMIT = 500

/**
 * Campaigns in the review queue beside the findings: those whose review is `review` (pending by
 * default: closed by an analyst, waiting for a lead), in the view's datasets and time range.
 */
export async function listCampaignReviewQueue(filter: { datasetIds: number[] | null; review: ReviewStatus | null; from?: Date | null; to?: Date | null }): Promise<CampaignReviewRow[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<
    {
      id: number
      dataset_id: number
      dataset_name: string
      verdict: Verdict
      ip_count: number
      unique_usernames: number
      attempts: number
      first_seen: Date
      last_seen: Date
      triage_status: TriageStatus
      review_status: ReviewStatus
      classification: Classification | null
      close_reason: string | null
      closed_at: Date | null
      closed_by_email: string | null
      owner_email: string | null
    }[]
  >(sqlFile('triage/sql/campaign-review-queue.sql'), filter.datasetIds, filter.review ?? 'pending', filter.from ?? null, filter.to ?? null)
  return rows.map((r) => ({
    id: r.id,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    verdict: r.verdict,
    ipCount: Number(r.ip_count),
    uniqueUsernames: Number(r.unique_usernames),
    attempts: Number(r.attempts),
    firstSeen: r.first_seen.toISOString(),
    lastSeen: r.last_seen.toISOString(),
    triageStatus: r.triage_status,
    reviewStatus: r.review_status,
    classification: r.classification,
    closeReason: r.close_reason,
    closedAt: r.closed_at?.toISOString() ?? null,
    closedByEmail: r.closed_by_email,
    ownerEmail: r.owner_email,
  }))
}
