import Link from 'next/link'
import { Suspense } from 'react'
import { DEFAULT_HIDDEN_COLUMNS, REVIEW_HIDDEN_COLUMNS } from '@/components/findings/column-defaults'
import { FindingsFilters } from '@/components/findings/findings-filters'
import { FindingsTable } from '@/components/findings/findings-table'
import { SavedViewsBar } from '@/components/findings/saved-views-bar'
import type { Actor } from '@/lib/auth/actor'
import { can } from '@/lib/auth/roles'
import { listDatasetNames } from '@/lib/datasets/datasets'
import { latestEventTime } from '@/lib/datasets/latest-event'
import { findingsQueryToParams, lastPage, parseFindingsQuery } from '@/lib/findings/findings-query'
import type { FindingListRow } from '@/lib/findings/finding-row'
import { listClientApps, listFindings } from '@/lib/findings/list-findings'
import { listAssignees } from '@/lib/triage/triage-queries'
import { BUILT_IN_VIEWS, listSavedViews } from '@/lib/views/saved-views'

type Params = Record<string, string | string[] | undefined>

function withoutHiddenLists(row: FindingListRow, hidden: string[]): FindingListRow {
  return { ...row, usernameSample: hidden.includes('usernameSample') ? [] : row.usernameSample, appList: hidden.includes('appList') ? [] : row.appList }
}

/**
 * The findings table with its filters, views and bulk actions: the Findings page, and the
 * Review queue (the same screen, awaiting review unless its Review filter says otherwise, with
 * the columns a lead reviews and bulk approval).
 */
export async function FindingsScreen({ params, actor, reviewQueue = false }: { params: Params; actor: Actor; reviewQueue?: boolean }) {
  const asked = parseFindingsQuery(reviewQueue && !params.review ? { ...params, review: 'pending' } : params)
  const defaultHidden = reviewQueue ? REVIEW_HIDDEN_COLUMNS : DEFAULT_HIDDEN_COLUMNS
  // No `hide` parameter: the default columns; `hide=` (empty): every column.
  const hidden = params.hide === undefined ? defaultHidden : String(params.hide).split(',').filter(Boolean)
  const triage = can(actor.user.role, 'triage')
  const [firstPage, datasets, clientApps, assignees, savedViews, latest] = await Promise.all([
    listFindings(asked, actor.user.id),
    listDatasetNames(),
    listClientApps(asked.datasetIds),
    triage ? listAssignees() : Promise.resolve([]),
    listSavedViews(actor.user.id),
    latestEventTime(asked.datasetIds),
  ])
  // A page past the end (a link from before findings were closed, a typed URL) shows the last one.
  const last = lastPage(firstPage.total, asked.pageSize)
  const query = asked.page > last ? { ...asked, page: last } : asked
  const page = query === asked ? firstPage : await listFindings(query, actor.user.id)
  const exportQuery = findingsQueryToParams(query).toString()
  // The long lists of hidden columns stay on the server: showing a column navigates, and the
  // server sends them then. By default that is half of the page data of 50 rows.
  const rows = hidden.includes('usernameSample') || hidden.includes('appList') ? page.rows.map((row) => withoutHiddenLists(row, hidden)) : page.rows

  return (
    <>
      {/* A viewer owns no findings: "My findings" would always be empty for them. */}
      <SavedViewsBar builtIn={triage ? BUILT_IN_VIEWS : BUILT_IN_VIEWS.filter((v) => !v.query.includes('owner=me'))} saved={savedViews} />
      <Suspense>
        <FindingsFilters
          tierCounts={page.tierCounts}
          datasets={datasets}
          clientApps={clientApps}
          assignees={assignees}
          canOwn={triage}
          reviewQueue={reviewQueue}
          latestEvent={latest?.toISOString() ?? null}
        />
      </Suspense>
      {/* The empty states are the skip link's target when there is no first row. */}
      {datasets.length === 0 ? (
        <div className="empty" id="first-finding" tabIndex={-1}>
          <strong>No data yet.</strong> Import sign-in logs with <code>npm run cli -- ingest &lt;files&gt; --dataset &lt;name&gt;</code> or load the demo
          incident with <code>npm run cli -- demo</code>. See <Link href="/datasets">Datasets</Link>.
        </div>
      ) : page.total === 0 ? (
        <div className="empty" id="first-finding" tabIndex={-1}>
          <strong>No findings match these filters.</strong> Widen the time range, clear the search or pick <Link href="/findings">all findings</Link>.
        </div>
      ) : (
        <>
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            <a className="button" href={`/api/findings/export?format=csv&${exportQuery}`} download>
              Export view as CSV
            </a>
            <a className="button" href={`/api/findings/export?format=json&${exportQuery}`} download>
              Export view as JSON
            </a>
          </div>
          <FindingsTable
            rows={rows}
            total={page.total}
            query={{ ...query, from: query.from?.toISOString() ?? null, to: query.to?.toISOString() ?? null }}
            hidden={hidden}
            defaultHidden={defaultHidden}
            reviewQueue={reviewQueue}
            triage={
              triage
                ? { assignees, currentUserId: actor.user.id, canCloseHighAsFalsePositive: can(actor.user.role, 'closeHighAsFalsePositive'), canReview: can(actor.user.role, 'review') }
                : null
            }
          />
        </>
      )}
    </>
  )
}
