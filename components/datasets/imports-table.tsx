import type { ImportSummary } from '@/lib/datasets/list-datasets'
import { formatBytes, formatDuration, formatNumber, formatUtc } from '@/components/ui/format'
import { ImportStatusBadge } from '@/components/ui/import-status-badge'

/**
 * What each import read, stored, found twice and rejected. `label` names the region: a page
 * listing several datasets' imports needs a distinct name for each (landmarks must be unique).
 */
export function ImportsTable({ imports, label = 'Imports' }: { imports: ImportSummary[]; label?: string }) {
  if (imports.length === 0) return <p className="muted">No imports yet.</p>
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <table className="data" data-testid="imports-table">
        <thead>
          <tr>
            <th>File</th>
            <th>Format</th>
            <th>Status</th>
            <th className="num">Size</th>
            <th className="num">Read</th>
            <th className="num">Inserted</th>
            <th className="num">Duplicates</th>
            <th className="num">Rejected</th>
            <th>Events from – to (UTC)</th>
            <th>Imported</th>
          </tr>
        </thead>
        <tbody>
          {imports.map((i) => (
            <tr key={i.id}>
              <td style={{ wordBreak: 'break-all' }}>
                {i.fileName}
                {i.error && <div className={i.status === 'failed' ? 'error-box' : 'muted'} style={{ marginTop: 4, fontSize: '0.85rem' }}>{i.error}</div>}
              </td>
              <td>{i.format ?? '—'}</td>
              <td>
                <ImportStatusBadge status={i.status} rowsRejected={i.rowsRejected} />
              </td>
              <td className="num">{formatBytes(i.bytes)}</td>
              <td className="num">{formatNumber(i.rowsRead)}</td>
              <td className="num">{formatNumber(i.rowsInserted)}</td>
              <td className="num">{formatNumber(i.rowsDuplicate)}</td>
              <td className="num">{formatNumber(i.rowsRejected)}</td>
              <td className="nowrap">{i.minEventTime ? `${formatUtc(i.minEventTime, 'minute').replace(' UTC', '')} – ${formatUtc(i.maxEventTime, 'minute').replace(' UTC', '')}` : '—'}</td>
              <td className="nowrap">
                {formatUtc(i.createdAt, 'minute')}
                {i.durationMs !== null && <div className="muted">{formatDuration(i.durationMs)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
