import Link from 'next/link'
import type { DerivedNotice } from '@/lib/derive/derived-state'
import { RecomputeButton, RefreshWhileUpdating } from './recompute-button'

/**
 * Says when a dataset's findings are being updated after an import (they may be incomplete until
 * then) or failed to update (with the reason, and a retry for leads). Every event is stored
 * either way. The page reloads itself until the update is done.
 */
export function DerivedStateNotice({ notices, canRetry, linkNames = false }: { notices: DerivedNotice[]; canRetry: boolean; linkNames?: boolean }) {
  if (notices.length === 0) return null
  const updating = notices.filter((n) => n.state.status !== 'failed')
  const failed = notices.filter((n) => n.state.status === 'failed')
  const name = (n: DerivedNotice) => (linkNames ? <Link href={`/datasets/${n.datasetId}`}>{n.name}</Link> : n.name)
  return (
    <>
      {updating.length > 0 && (
        <div className="notice" role="status" data-testid="findings-updating">
          <strong>Findings are being updated</strong> for {updating.map((n, i) => <span key={n.datasetId}>{i > 0 && ', '}{name(n)}</span>)}: new events are
          stored and the findings, windows and campaigns derived from them are being recomputed. Until then they may be incomplete.
          <RefreshWhileUpdating />
        </div>
      )}
      {failed.map((n) => (
        <div key={n.datasetId} className="error-box" role="alert" data-testid="findings-update-failed" style={{ margin: '12px 0' }}>
          <strong>Updating the findings of {name(n)} failed</strong>
          {n.state.finishedAt && <> ({n.state.finishedAt.slice(0, 19).replace('T', ' ')} UTC)</>}: <span className="mono">{n.state.error}</span>. Every event is stored;
          the findings shown are from before the last import. It is retried at the next import or start{canRetry ? ', or now:' : ' (or by a lead).'}{' '}
          {canRetry && <RecomputeButton datasetId={n.datasetId} />}
        </div>
      ))}
    </>
  )
}
