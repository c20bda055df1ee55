import { connection } from 'next/server'
import { DerivedStateNotice } from '@/components/datasets/derived-state-notice'
import { can } from '@/lib/auth/roles'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { derivedNotices } from '@/lib/derive/derived-state'
import { requirePageRole } from '@/lib/http/page-guard'
import { FindingsScreen } from './findings-screen'

export const metadata = { title: 'Findings' }

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  const actor = await requirePageRole('viewer', '/findings')
  const params = await searchParams
  const notices = await derivedNotices(datasetFilter(params) ?? null)
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Findings</h1>
          <p className="muted" style={{ margin: 0 }}>
            The reference rule (parity mode): failed sign-ins with codes 50034, 50053, 50055, 50056 per source IP, client app, user
            agent and UTC hour; ≥ 10 distinct usernames is a finding.
          </p>
        </div>
      </div>
      <DerivedStateNotice notices={notices} canRetry={can(actor.user.role, 'recompute')} linkNames />
      <FindingsScreen params={params} actor={actor} />
    </>
  )
}
