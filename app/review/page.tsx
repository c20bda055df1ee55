import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { CampaignReviewQueue } from '@/components/triage/campaign-review-queue'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { CAMPAIGN_REVIEW_LIMIT, listCampaignReviewQueue } from '@/lib/triage/campaign-review-queue'
import { FindingsScreen } from '../findings/findings-screen'

export const metadata = { title: 'Review queue' }

export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  const actor = await requirePageRole('lead', '/review')
  const params = await searchParams
  // The campaigns follow the queue's Review filter, datasets and time range.
  const view = parseFindingsQuery(params)
  const review = view.review ?? 'pending'
  const campaigns = await listCampaignReviewQueue({ datasetIds: view.datasetIds, review, from: view.from, to: view.to })
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Review queue</h1>
          <p className="muted" style={{ margin: 0 }}>
            Findings and campaigns analysts closed, waiting for a lead to approve the classification or reopen them. Select several to approve them at once, or open one to review it.
          </p>
        </div>
      </div>
      <CampaignReviewQueue campaigns={campaigns} review={review} limited={campaigns.length >= CAMPAIGN_REVIEW_LIMIT} />
      <h2>Findings</h2>
      <FindingsScreen params={params} actor={actor} reviewQueue />
    </>
  )
}
