'use client'

import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useEffect, useState } from 'react'
import { ImportsTable } from '@/components/datasets/imports-table'
import { sendJson } from '@/components/ui/api-client'
import { formatNumber, formatUtc } from '@/components/ui/format'
import type { ConnectorRunPage, ConnectorRunSummary } from '@/lib/connectors/connector-runs'
import { RETRY_CAUSE_LABELS, type RetryCause } from '@/lib/connectors/retry-causes'

/** What a run did on the wire: requests, retries by cause, tokens. */
function WireStats({ run }: { run: ConnectorRunSummary }) {
  const retries = (Object.keys(run.retries) as RetryCause[]).filter((cause) => run.retries[cause] > 0)
  const total = retries.reduce((sum, cause) => sum + run.retries[cause], 0)
  return (
    <p className="muted" data-testid="connector-run-stats">
      {formatNumber(run.requests)} requests · {total === 0 ? 'no retries' : `${formatNumber(total)} retries (${retries.map((cause) => `${formatNumber(run.retries[cause])} ${RETRY_CAUSE_LABELS[cause]}`).join(', ')})`} ·{' '}
      {formatNumber(run.tokensFetched)} access tokens fetched
    </p>
  )
}

/**
 * Run now, and each run's progress (slices, events, requests and retries) with the imports it
 * made, a page of runs at a time; refreshes while a run is going.
 */
export function ConnectorRuns({ connectorId, runPage, running, enabled }: { connectorId: number; runPage: ConnectorRunPage; running: boolean; enabled: boolean }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const { runs, page, pages } = runPage
  const active = running || runs.some((r) => r.status === 'running')

  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => router.refresh(), 1500)
    return () => clearInterval(timer)
  }, [active, router])

  const runNow = async () => {
    const result = await sendJson('POST', `/api/connectors/${connectorId}/run`)
    if (!result.ok) return setError(result.error)
    setError(null)
    router.refresh()
  }

  return (
    <section aria-label="Runs" data-testid="connector-runs">
      <div className="page-header" style={{ marginBottom: 8 }}>
        <h2 style={{ margin: 0 }}>Runs</h2>
        <button type="button" className="primary" onClick={runNow} disabled={running || !enabled}>
          {running ? 'Running…' : 'Run now'}
        </button>
      </div>
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
      {runs.length === 0 ? (
        <p className="muted">Not run yet.</p>
      ) : (
        runs.map((run) => (
          <details key={run.id} className="panel" style={{ marginBottom: 8 }} open={run.status === 'running'} data-testid="connector-run" data-status={run.status} data-run-id={run.id}>
            <summary>
              <span className={`badge ${run.status === 'failed' ? 'tier-high' : run.status === 'succeeded' ? 'missing' : 'neutral'}`}>{run.status}</span>{' '}
              {run.backfill && run.windowFrom && run.windowTo && (
                <span className="badge neutral" title="a one-off pull of a chosen window; the schedule's position is unchanged">
                  backfill {formatUtc(run.windowFrom, 'minute')} – {formatUtc(run.windowTo, 'minute')}
                </span>
              )}{' '}
              {formatUtc(run.startedAt, 'second')} · {run.startedByEmail ?? 'schedule'} · slices {run.slicesDone}/{run.slicesTotal} · {formatNumber(run.eventsRead)} events read,{' '}
              {formatNumber(run.eventsInserted)} new
              {run.slicesTotal > 0 && <progress max={run.slicesTotal} value={run.slicesDone} style={{ marginLeft: 8 }} />}
            </summary>
            <WireStats run={run} />
            {run.error && <p className="error-box">{run.error}</p>}
            <ImportsTable imports={run.imports} label={`Imports of run ${run.id}`} />
          </details>
        ))
      )}
      {pages > 1 && (
        <nav className="pager" aria-label="Pages of runs">
          {page > 1 ? <Link href={`/connectors/${connectorId}?runs=${page - 1}`}>Newer runs</Link> : <span className="muted">Newer runs</span>}
          <span>
            Page {page} of {formatNumber(pages)} ({formatNumber(runPage.totalRuns)} runs)
          </span>
          {page < pages ? <Link href={`/connectors/${connectorId}?runs=${page + 1}`}>Older runs</Link> : <span className="muted">Older runs</span>}
        </nav>
      )}
    </section>
  )
}
