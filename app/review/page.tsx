import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { FindingsScreen } from '../findings/findings-screen'

export const metadata = { title: 'Review queue' }

export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  const actor = await requirePageRole('lead', '/review')
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Review queue</h1>
          <p className="muted" style={{ margin: 0 }}>
            Findings analysts closed, waiting for a lead to approve the classification or reopen them. Select several to approve them at once, or open one to review it.
          </p>
        </div>
      </div>
      <FindingsScreen params={await searchParams} actor={actor} reviewQueue />
    </>
  )
}
