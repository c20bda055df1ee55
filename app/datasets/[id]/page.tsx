import Link from 'next/link'
import { notFound } from 'next/navigation'
import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { can } from '@/lib/auth/roles'
import { DeleteDatasetButton } from '@/components/datasets/delete-dataset-button'
import { CompletenessBanner, CompletenessReport } from '@/components/datasets/completeness-report'
import { DerivedStateNotice } from '@/components/datasets/derived-state-notice'
import { RecomputeButton } from '@/components/datasets/recompute-button'
import { ImportsTable } from '@/components/datasets/imports-table'
import { RemediationListLink } from '@/components/datasets/remediation-list-link'
import { datasetCompleteness } from '@/lib/datasets/completeness'
import { formatNumber } from '@/components/ui/format'
import { getDatasetSummary, importsWithRejections, IMPORTS_PAGE_SIZE, listRejectedRows, type DatasetSummary } from '@/lib/datasets/list-datasets'
import { parseId } from '@/lib/http/edge-input'

export const metadata = { title: 'Dataset' }

export default async function DatasetPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  const actor = await requirePageRole('viewer', `/datasets/${(await params).id}`)
  const id = parseId((await params).id)
  if (id === null) notFound()
  const importsParam = (await searchParams).imports
  const asked = typeof importsParam === 'string' ? (parseId(importsParam) ?? 1) : 1
  let dataset = await getDatasetSummary(id, { skip: (asked - 1) * IMPORTS_PAGE_SIZE, take: IMPORTS_PAGE_SIZE })
  if (!dataset) notFound()
  const pages = Math.max(1, Math.ceil(dataset.importCount / IMPORTS_PAGE_SIZE))
  // A page past the last (a dataset that lost imports since the link was made) shows the last.
  const page = Math.min(asked, pages)
  if (page !== asked) dataset = (await getDatasetSummary(id, { skip: (page - 1) * IMPORTS_PAGE_SIZE, take: IMPORTS_PAGE_SIZE })) ?? notFound()
  const [completeness, withRejections] = await Promise.all([datasetCompleteness(dataset.id), importsWithRejections(dataset.id)])
  const rejected = await Promise.all(withRejections.map(async (i) => ({ job: i, rows: await listRejectedRows(i.id) })))
  const first = (page - 1) * IMPORTS_PAGE_SIZE + 1

  return (
    <>
      <div className="breadcrumbs">
        <Link href="/datasets">Datasets</Link> › {dataset.name}
      </div>
      <div className="page-header">
        <div>
          <h1>{dataset.name}</h1>
          <span className="muted">
            {formatNumber(dataset.events)} sign-in events · <Link href={`/findings?dataset=${dataset.id}`}>{formatNumber(dataset.findings)} findings</Link>
          </span>
        </div>
        <span style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <RemediationListLink datasetId={dataset.id} />
          {can(actor.user.role, 'deleteDataset') && <DeleteDatasetButton id={dataset.id} name={dataset.name} events={dataset.events} />}
        </span>
      </div>
      <DerivedStateNotice notices={dataset.derived.status === 'current' ? [] : [{ datasetId: dataset.id, name: dataset.name, state: dataset.derived }]} canRetry={can(actor.user.role, 'recompute')} />
      <CompletenessBanner completeness={completeness} />
      <FindingsUpdated derived={dataset.derived} canRecompute={can(actor.user.role, 'recompute')} datasetId={dataset.id} />
      <CompletenessReport completeness={completeness} />
      <h2>Imports ({formatNumber(dataset.importCount)})</h2>
      <ImportsTable imports={dataset.imports} />
      {pages > 1 && (
        <nav className="pager" aria-label="Pages of imports">
          {page > 1 ? <Link href={`/datasets/${dataset.id}?imports=${page - 1}`}>Newer imports</Link> : <span className="muted">Newer imports</span>}
          <span>
            {formatNumber(first)}–{formatNumber(first + dataset.imports.length - 1)} of {formatNumber(dataset.importCount)} · page {page} of {formatNumber(pages)}
          </span>
          {page < pages ? <Link href={`/datasets/${dataset.id}?imports=${page + 1}`}>Older imports</Link> : <span className="muted">Older imports</span>}
        </nav>
      )}
      <h2>Rejected rows</h2>
      {rejected.length === 0 ? (
        <p className="muted">No import of this dataset rejected a row.</p>
      ) : (
        rejected.map(({ job, rows }) => (
          <details key={job.id} className="panel" style={{ marginBottom: 8 }} open={rejected.length === 1}>
            <summary>
              {job.fileName}: {formatNumber(job.rowsRejected)} rejected
              {job.rowsRejected > rows.length ? ` (the first ${rows.length} shown)` : ''}
            </summary>
            <table className="data" data-testid="rejected-rows">
              <thead>
                <tr>
                  <th className="num">Line / record</th>
                  <th>Reason</th>
                  <th>Excerpt</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    <td className="num">{r.recordNumber}</td>
                    <td>{r.reason}</td>
                    <td className="mono" style={{ wordBreak: 'break-all' }}>
                      {r.excerpt}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ))
      )}
    </>
  )
}

/** When the findings were last recomputed, how (appended hours or everything) and how long each detector took. */
function FindingsUpdated({ derived, canRecompute, datasetId }: { derived: DatasetSummary['derived']; canRecompute: boolean; datasetId: number }) {
  const run = derived.lastRun
  if (derived.status !== 'current' || !run || !derived.finishedAt) return null
  return (
    <p className="muted" data-testid="findings-updated">
      Findings updated {derived.finishedAt.slice(0, 19).replace('T', ' ')} UTC ({run.full ? 'from all events' : `the ${run.sourceIps} source IPs of ${run.from?.slice(0, 16).replace('T', ' ')} – ${run.to?.slice(0, 16).replace('T', ' ')}`}) in{' '}
      {(run.totalMs / 1000).toFixed(1)} s: <span title={run.phases.map((p) => `${p.detector} ${p.ms} ms`).join(', ')}>{run.phases.length} detectors</span>.{' '}
      {canRecompute && <RecomputeButton datasetId={datasetId} full label="Recompute from all events" />}
    </p>
  )
}
