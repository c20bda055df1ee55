import Link from 'next/link'
import type { HourlyActivity } from '@/lib/overview/get-overview'
import type { HourExplanation } from '@/lib/overview/hour-explanation'
import { CampaignReasons } from '@/components/campaigns/campaign-reasons'
import { StatusBadge } from '@/components/triage/triage-badges'
import { formatHour, formatNumber, formatUtc } from '@/components/ui/format'
import { VerdictBadge } from '@/components/ui/verdict-badge'

const KIND_LABEL = { hourly: 'the rule’s hour', sliding: 'sliding window', low_and_slow: 'low and slow' } as const

/** The hour a chart bar stands for, and what explains it — or a plain statement that nothing does. */
export function HourExplanationPanel({ explanation, activity, datasetId }: { explanation: HourExplanation; activity: HourlyActivity | null; datasetId: number | null }) {
  const { findings, campaigns } = explanation
  const shown = findings.filter((f) => !f.suppressed)
  const suppressed = findings.length - shown.length
  const end = new Date(Date.parse(explanation.hour) + 3_600_000).toISOString()
  const findingsLink = new URLSearchParams({ mode: 'extended', from: explanation.hour, to: end })
  if (datasetId) findingsLink.set('dataset', String(datasetId))
  const scope = datasetId ? `?dataset=${datasetId}` : ''
  const explained = shown.length > 0 || campaigns.length > 0
  return (
    <section className="panel" id="hour" aria-labelledby="hour-heading" data-testid="hour-explanation" style={{ marginTop: 16 }}>
      <div className="page-header" style={{ marginBottom: 8 }}>
        <h2 id="hour-heading" style={{ margin: 0 }}>
          {formatHour(explanation.hour)} UTC
        </h2>
        <Link href={`/${scope}`} scroll={false}>
          Close
        </Link>
      </div>
      <p style={{ marginTop: 0 }}>
        {formatNumber(activity?.failedSignIns ?? 0)} failed sign-ins with the rule&apos;s codes, {formatNumber(activity?.targetedUsernames ?? 0)} targeted usernames (rule codes) from{' '}
        {formatNumber(explanation.sourceIps)} source IP{explanation.sourceIps === 1 ? '' : 's'}.
      </p>
      {!explained && (
        <p className="notice" data-testid="hour-unexplained">
          <strong>No finding or campaign explains this hour.</strong> No source (IP, client app, user agent) reached a threshold in it, none of the windows beyond the rule
          overlaps it{suppressed > 0 ? ` (except ${suppressed} suppressed finding${suppressed === 1 ? '' : 's'})` : ''}, and its sources were not linked into a campaign. The addresses
          below are where its names came from.
        </p>
      )}

      <h3>Findings overlapping this hour ({formatNumber(shown.length)})</h3>
      {shown.length === 0 ? (
        <p className="muted">None{suppressed > 0 ? `; ${suppressed} suppressed` : ''}.</p>
      ) : (
        <>
          <table className="data" data-testid="hour-findings">
            <thead>
              <tr>
                <th>Finding</th>
                <th>Kind</th>
                <th>Source IP</th>
                <th className="num">{'Users (rule codes)'}</th>
                <th>Verdict</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, 25).map((f) => (
                <tr key={f.id}>
                  <td>
                    <Link href={`/findings/${f.id}`}>#{f.id}</Link>
                  </td>
                  <td>
                    {KIND_LABEL[f.kind]} <span className="muted">from {formatUtc(f.bucket, 'minute')}</span>
                  </td>
                  <td className="mono">{f.ipAddress}</td>
                  <td className="num">{formatNumber(f.uniqueUsernames)}</td>
                  <td>
                    <VerdictBadge verdict={f.verdict} short />
                    {f.escalated && <span className="badge severity-critical">password right</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link href={`/findings?${findingsLink}`}>Open the findings of this hour in the findings table</Link>
            {suppressed > 0 && <span className="muted"> ({suppressed} suppressed not listed)</span>}
          </p>
        </>
      )}

      <h3>Campaigns active in this hour ({formatNumber(campaigns.length)})</h3>
      {campaigns.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="data" data-testid="hour-campaigns">
          <thead>
            <tr>
              <th>Campaign</th>
              <th>Verdict</th>
              <th className="num">IPs in this hour</th>
              <th className="num">Usernames in this hour</th>
              <th className="num">Usernames in all</th>
              <th>Why grouped</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id} data-campaign-id={c.id}>
                <td>
                  <Link href={`/campaigns/${c.id}`}>Campaign {c.id}</Link>
                  <div className="muted nowrap">
                    {formatUtc(c.firstSeen, 'minute')} – {formatUtc(c.lastSeen, 'minute')}
                  </div>
                </td>
                <td>
                  <VerdictBadge verdict={c.verdict} short />
                </td>
                <td className="num">
                  {formatNumber(c.hourIps)} <span className="muted">of {formatNumber(c.ipCount)}</span>
                </td>
                <td className="num">{formatNumber(c.hourUsernames)}</td>
                <td className="num">{formatNumber(c.uniqueUsernames)}</td>
                <td>
                  <CampaignReasons reasons={c.reasons} />
                </td>
                <td>
                  <StatusBadge status={c.triageStatus} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Busiest source IPs of this hour</h3>
      {explanation.topSources.length === 0 ? (
        <p className="muted">No failed sign-ins with the rule&apos;s codes in this hour.</p>
      ) : (
        <table className="data" data-testid="hour-sources">
          <thead>
            <tr>
              <th>Source IP</th>
              <th className="num">Targeted usernames (rule codes)</th>
              <th className="num">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {explanation.topSources.map((s) => (
              <tr key={s.ipAddress}>
                <td>
                  <Link className="mono" href={`/ips/${encodeURIComponent(s.ipAddress)}${scope}`}>
                    {s.ipAddress}
                  </Link>
                </td>
                <td className="num">{formatNumber(s.uniqueUsernames)}</td>
                <td className="num">{formatNumber(s.attempts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
