import Link from 'next/link'
import { formatUtc } from '@/components/ui/format'
import { errorCodeMeaning } from '@/lib/detection/error-codes'
import type { FindingEscalation } from '@/lib/findings/finding-details'

/** Escalated to Critical: probed accounts whose password later proved right, and where that showed. */
export function EscalationsSection({ escalations, datasetId }: { escalations: FindingEscalation[]; datasetId: number }) {
  if (escalations.length === 0) return null
  return (
    <section className="error-box" aria-label="The password was right" data-testid="escalations" style={{ marginTop: 16 }}>
      <h2 style={{ marginTop: 0 }}>Critical: the password was right for {escalations.length} probed account{escalations.length > 1 ? 's' : ''}</h2>
      <table className="data">
        <thead>
          <tr>
            <th>Account</th>
            <th>When (UTC)</th>
            <th>Code</th>
            <th>From</th>
            <th>Event</th>
          </tr>
        </thead>
        <tbody>
          {escalations.map((e) => (
            <tr key={`${e.userPrincipalName}-${e.eventId}`}>
              <td className="mono">{e.userPrincipalName}</td>
              <td className="nowrap">{formatUtc(e.eventTime, 'second')}</td>
              <td>
                <span className="mono">{e.errorCode}</span> <span className="muted">{errorCodeMeaning(e.errorCode).name}</span>
              </td>
              <td>
                <Link className="mono" href={`/ips/${encodeURIComponent(e.ipAddress)}?dataset=${datasetId}`}>
                  {e.ipAddress}
                </Link>{' '}
                <span className="muted">({e.relation})</span>
              </td>
              <td>
                <a href={`/api/events/${e.eventId}`} target="_blank" rel="noreferrer">
                  sign-in {e.eventId}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
