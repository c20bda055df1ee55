import { formatNumber, formatUtc } from '@/components/ui/format'
import type { Completeness } from '@/lib/datasets/completeness'
import { shareText } from '@/lib/display/share'

/** The blind spots first (a banner), then what the dataset covers. */
export function CompletenessBanner({ completeness }: { completeness: Completeness }) {
  if (completeness.blindSpots.length === 0) return null
  return (
    <div className="notice" role="note" data-testid="blind-spots">
      <strong>Blind spots in this data:</strong>
      <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
        {completeness.blindSpots.map((spot) => (
          <li key={spot}>{spot}</li>
        ))}
      </ul>
    </div>
  )
}

export function CompletenessReport({ completeness: c }: { completeness: Completeness }) {
  if (c.events === 0) return <p className="muted">No events yet.</p>
  const pct = (n: number) => `${formatNumber(n)} (${shareText(n, c.events)})`
  return (
    <section className="panel" aria-label="Data completeness" data-testid="completeness">
      <h2 style={{ marginTop: 0 }}>Data completeness</h2>
      <dl className="facts">
        <dt>Time covered</dt>
        <dd>
          {formatUtc(c.firstEvent, 'minute')} – {formatUtc(c.lastEvent, 'minute')}
        </dd>
        <dt>Sign-in types</dt>
        <dd>
          interactive {pct(c.interactive)}, non-interactive {pct(c.nonInteractive)}
          {c.interactiveUnknown > 0 && <>, not stated {pct(c.interactiveUnknown)}</>}
        </dd>
        <dt>Hours without any sign-in</dt>
        <dd>
          {c.gapCount === 0
            ? 'none'
            : `${c.gapCount} gap${c.gapCount > 1 ? 's' : ''}${c.gaps[0] ? `; longest ${formatUtc(c.gaps[0].from, 'minute')} – ${formatUtc(c.gaps[0].to, 'minute')}` : ''}`}
        </dd>
        <dt>Missing fields</dt>
        <dd>
          user agent {pct(c.missing.userAgent)}, client app {pct(c.missing.clientApp)}, application {pct(c.missing.app)}, location {pct(c.missing.location)}, AS number{' '}
          {pct(c.missing.autonomousSystem)}, IP {pct(c.missing.ip)}, username {pct(c.missing.upn)}
        </dd>
        <dt>Overlapping files</dt>
        <dd>{c.overlappingFiles.length === 0 ? 'none' : c.overlappingFiles.map((f) => `${f.fileName} (${formatNumber(f.duplicates)} already stored)`).join('; ')}</dd>
        <dt>Files at the portal cap</dt>
        <dd>{c.cappedFiles.length === 0 ? 'none' : c.cappedFiles.join(', ')}</dd>
      </dl>
    </section>
  )
}
