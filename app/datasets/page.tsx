import Link from 'next/link'
import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { ImportsTable } from '@/components/datasets/imports-table'
import { formatNumber, formatUtc } from '@/components/ui/format'
import { listDatasets } from '@/lib/datasets/list-datasets'

export const metadata = { title: 'Datasets' }

/** Imports shown per dataset here; the dataset's page has them all, a page at a time. */
const LATEST_IMPORTS = 5

export default async function DatasetsPage() {
  await connection()
  await requirePageRole('viewer', '/datasets')
  const datasets = await listDatasets({ take: LATEST_IMPORTS })
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Datasets</h1>
          <span className="muted">An incident&apos;s sign-in logs, analysed together. Each import is listed with what it read and rejected.</span>
        </div>
      </div>
      {datasets.length === 0 ? (
        <div className="empty">
          <strong>No datasets yet.</strong> Import exports with <code>npm run cli -- ingest &lt;files…&gt; --dataset &lt;name&gt;</code> or load the demo with{' '}
          <code>npm run cli -- demo</code>.
        </div>
      ) : (
        datasets.map((d) => (
          <section key={d.id} className="panel" style={{ marginBottom: 16 }} data-testid="dataset" data-dataset={d.name}>
            <div className="page-header" style={{ marginBottom: 8 }}>
              <div>
                <h2 style={{ margin: 0 }}>
                  <Link href={`/datasets/${d.id}`}>{d.name}</Link>
                </h2>
                <span className="muted">
                  {formatNumber(d.events)} sign-in events · <Link href={`/findings?dataset=${d.id}`}>{formatNumber(d.findings)} findings</Link> · {d.source} · created{' '}
                  {formatUtc(d.createdAt, 'minute')}
                  {d.derived.status === 'failed' ? (
                    <strong style={{ color: 'var(--danger)' }} data-testid="derived-status"> · updating the findings failed</strong>
                  ) : d.derived.status !== 'current' ? (
                    <strong data-testid="derived-status"> · findings are being updated</strong>
                  ) : null}
                </span>
              </div>
              <span style={{ display: 'flex', gap: 8 }}>
                <Link className="button" href={`/?dataset=${d.id}`}>
                  Overview
                </Link>
                <Link className="button" href={`/datasets/${d.id}`}>
                  Imports and rejected rows
                </Link>
              </span>
            </div>
            <ImportsTable imports={d.imports} label={`Imports of ${d.name}`} />
            {d.importCount > d.imports.length && (
              <p className="muted">
                and {formatNumber(d.importCount - d.imports.length)} earlier imports — <Link href={`/datasets/${d.id}`}>see all</Link>
              </p>
            )}
          </section>
        ))
      )}
    </>
  )
}
