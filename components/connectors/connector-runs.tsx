'use client'

import { useRouter } from 'next/navigation'
import { useEffect, useState } from 'react'
import { ImportsTable } from '@/components/datasets/imports-table'
import { sendJson } from '@/components/ui/api-client'
import { formatNumber, formatUtc } from '@/components/ui/format'
import type { ConnectorRunSummary } from '@/lib/connectors/connector-runs'

/** Run now, and each run's progress (slices, events) with the imports it made; refreshes while running. */
export function ConnectorRuns({ connectorId, runs, running, enabled }: { connectorId: number; runs: ConnectorRunSummary[]; running: boolean; enabled: boolean }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
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
        <button type="button" className="primary" onClick={runNow} disabled={active || !enabled}>
          {active ? 'Running…' : 'Run now'}
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
          <details key={run.id} className="panel" style={{ marginBottom: 8 }} open={run.status === 'running'} data-testid="connector-run" data-status={run.status}>
            <summary>
              <span className={`badge ${run.status === 'failed' ? 'tier-high' : run.status === 'succeeded' ? 'missing' : 'neutral'}`}>{run.status}</span> {formatUtc(run.startedAt, 'second')} ·{' '}
              {run.startedByEmail ?? 'schedule'} · slices {run.slicesDone}/{run.slicesTotal} · {formatNumber(run.eventsRead)} events read, {formatNumber(run.eventsInserted)} new
              {run.slicesTotal > 0 && <progress max={run.slicesTotal} value={run.slicesDone} style={{ marginLeft: 8 }} />}
            </summary>
            {run.error && <p className="error-box">{run.error}</p>}
            <ImportsTable imports={run.imports} />
          </details>
        ))
      )}
    </section>
  )
}
