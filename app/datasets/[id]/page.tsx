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
import { getDatasetSummary, listRejectedRows, type DatasetSummary } from '@/lib/datasets/list-datasets'
import { parseId } from '@/lib/http/edge-input'

export const metadata = { title: 'Dataset' }

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  await connection()
  const actor = await requirePageRole('viewer', `/datasets/${(await params).id}`)
  const id = parseId((await params).id)
  if (id === null) notFound()
  const dataset = await getDatasetSummary(id)
  if (!dataset) notFound()
  const completeness = await datasetCompleteness(dataset.id)
  const rejected = await Promise.all(dataset.imports.filter((i) => i.rowsRejected > 0).map(async (i) => ({ job: i, rows: await listRejectedRows(i.id) })))

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
      <h2>Imports ({dataset.imports.length})</h2>
      <ImportsTable imports={dataset.imports} />
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
