import Link from 'next/link'
import type { CampaignLinkedFinding } from '@/lib/campaigns/campaign-types'
import { formatHour, formatNumber } from '@/components/ui/format'
import { VerdictBadge } from '@/components/ui/verdict-badge'

/** Findings the rule (or its extensions) raised on one of the campaign's sources. */
export function LinkedFindings({ findings }: { findings: CampaignLinkedFinding[] }) {
  return (
    <section className="panel" aria-labelledby="linked-findings-heading">
      <h2 id="linked-findings-heading" style={{ marginTop: 0 }}>
        Findings of its sources ({formatNumber(findings.length)})
      </h2>
      {findings.length === 0 ? (
        <p className="muted">None: no single source of this campaign crossed a threshold on its own.</p>
      ) : (
        <table className="data" data-testid="campaign-findings-table">
          <thead>
            <tr>
              <th>Finding</th>
              <th>Hour (UTC)</th>
              <th>Source IP</th>
              <th className="num">Usernames</th>
              <th>Verdict</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <tr key={f.id}>
                <td>
                  <Link href={`/findings/${f.id}`}>
                    #{f.id}
                    {f.kind !== 'hourly' ? ` (${f.kind.replace(/_/g, ' ')})` : ''}
                  </Link>
                </td>
                <td className="nowrap">{formatHour(f.bucket)}</td>
                <td className="mono">{f.ipAddress}</td>
                <td className="num">{formatNumber(f.uniqueUsernames)}</td>
                <td>
                  <VerdictBadge verdict={f.verdict} short />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
