import Link from 'next/link'
import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { HourlyActivityChart } from '@/components/charts/hourly-activity-chart'
import { CompletenessBanner } from '@/components/datasets/completeness-report'
import { DerivedStateNotice } from '@/components/datasets/derived-state-notice'
import { can } from '@/lib/auth/roles'
import { derivedNotices } from '@/lib/derive/derived-state'
import { DatasetPicker } from '@/components/datasets/dataset-picker'
import { RemediationListLink } from '@/components/datasets/remediation-list-link'
import { datasetCompleteness } from '@/lib/datasets/completeness'
import { formatNumber, formatUtc } from '@/components/ui/format'
import { VerdictBadge, tierClass } from '@/components/ui/verdict-badge'
import { listDatasetNames } from '@/lib/datasets/datasets'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { VERDICTS } from '@/lib/detection/enumeration'
import { getOverview } from '@/lib/overview/get-overview'
import { toHourlySeries } from '@/lib/overview/hourly-series'
import { getHourExplanation, parseHour } from '@/lib/overview/hour-explanation'
import { HourExplanationPanel } from '@/components/overview/hour-explanation'

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  const actor = await requirePageRole('viewer', '/')
  const params = await searchParams
  const datasetIds = datasetFilter(params)
  const datasetId = datasetIds?.length === 1 ? datasetIds[0] : null
  const hour = parseHour(typeof params.hour === 'string' ? params.hour : undefined)
  const [datasets, overview, completeness, notices, explanation] = await Promise.all([
    listDatasetNames(),
    getOverview(datasetIds),
    datasetId ? datasetCompleteness(datasetId) : null,
    derivedNotices(datasetIds ?? null),
    hour ? getHourExplanation(datasetIds, hour) : null,
  ])
  const scope = datasetId ? `&dataset=${datasetId}` : ''
  // The list is per dataset; with a single dataset, "all datasets" is that one.
  const remediationDataset = datasetId ?? (datasets.length === 1 ? datasets[0].id : null)

  if (datasets.length === 0) {
    return (
      <>
        <h1>Overview</h1>
        <div className="empty" style={{ marginTop: 16 }}>
          <p>
            <strong>No sign-in logs yet.</strong>
          </p>
          <p>
            Import exports (Entra portal CSV/JSON, Graph JSON, Log Analytics, diagnostic settings, LogScale) with{' '}
            <code>npm run cli -- ingest &lt;files…&gt; --dataset &lt;name&gt;</code>, or load a realistic demo incident with{' '}
            <code>npm run cli -- demo</code>, then reload this page.
          </p>
        </div>
      </>
    )
  }

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <span className="muted">
            {overview.firstEvent ? `${formatUtc(overview.firstEvent, 'minute')} – ${formatUtc(overview.lastEvent, 'minute')}` : 'No events'}
          </span>
        </div>
        <span style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}>
          {remediationDataset && <RemediationListLink datasetId={remediationDataset} />}
          <DatasetPicker datasets={datasets} selected={datasetId} />
        </span>
      </div>

      <DerivedStateNotice notices={notices} canRetry={can(actor.user.role, 'recompute')} linkNames />
      {completeness && <CompletenessBanner completeness={completeness} />}

      <div className="stats">
        {VERDICTS.map((verdict) => (
          <Link key={verdict} className={`stat`} href={`/findings?verdict=${encodeURIComponent(verdict)}${scope}`} style={{ textDecoration: 'none', color: 'inherit' }} data-verdict={verdict}>
            <div className="label">
              <span className={`badge ${tierClass(verdict)}`}>{verdict}</span>
            </div>
            <div className="value">{formatNumber(overview.tierCounts[verdict])}</div>
            <div className="detail">findings</div>
          </Link>
        ))}
        <div className="stat">
          <div className="label">Sign-in events</div>
          <div className="value" data-testid="event-count">{formatNumber(overview.events)}</div>
          <div className="detail">{formatNumber(overview.enumerationFailures)} with the rule&apos;s codes</div>
        </div>
      </div>

      <div className="stats" aria-label="Beyond the rule" data-testid="beyond-the-rule">
        <Link className="stat" href={`/findings?mode=extended&escalated=only${scope}`} style={{ textDecoration: 'none', color: 'inherit' }} data-stat="escalated">
          <div className="label">
            <span className="badge severity-critical">password right</span>
          </div>
          <div className={`value${overview.beyondTheRule.escalatedFindings > 0 ? ' confirmed' : ''}`}>{formatNumber(overview.beyondTheRule.escalatedFindings)}</div>
          <div className="detail">findings escalated to Critical</div>
        </Link>
        <Link className="stat" href={`/findings?mode=extended${scope}`} style={{ textDecoration: 'none', color: 'inherit' }} data-stat="extended">
          <div className="label">Beyond the rule</div>
          <div className="value">{formatNumber(overview.beyondTheRule.extendedFindings)}</div>
          <div className="detail">sliding-window and low-and-slow findings</div>
        </Link>
        <Link className="stat" href={`/campaigns${scope ? `?${scope.slice(1)}` : ''}`} style={{ textDecoration: 'none', color: 'inherit' }} data-stat="campaigns">
          <div className="label">Campaigns</div>
          <div className="value">{formatNumber(overview.beyondTheRule.campaigns)}</div>
          <div className="detail">across rotating IPs or user agents</div>
        </Link>
        <Link className="stat" href={`/findings?mode=extended&suppressed=only${scope}`} style={{ textDecoration: 'none', color: 'inherit' }} data-stat="suppressed">
          <div className="label">Suppressed</div>
          <div className="value">{formatNumber(overview.beyondTheRule.suppressedFindings)}</div>
          <div className="detail">findings hidden by suppression rules</div>
        </Link>
      </div>

      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Failed sign-ins and targeted usernames per hour</h2>
        <p className="legend-note" style={{ marginTop: 0 }}>
          Bars: failed sign-ins with codes 50034 / 50053 / 50055 / 50056, coloured by the highest tier found in the hour (red High, orange
          Moderate, yellow Low, blue none: no finding of the rule). Line: targeted usernames (rule codes). Click an hour to see what explains it: its findings of
          every kind, the campaigns active in it, and the addresses its names came from.
        </p>
        <HourlyActivityChart series={toHourlySeries(overview.hourly)} datasetId={datasetId} />
      </section>

      {explanation && (
        <HourExplanationPanel explanation={explanation} activity={overview.hourly.find((h) => h.bucket === explanation.hour) ?? null} datasetId={datasetId} />
      )}

      <h2>Top source IPs by distinct usernames</h2>
      {overview.topSourceIps.length === 0 ? (
        <p className="empty">No failed sign-ins with the rule&apos;s codes.</p>
      ) : (
        <div className="table-scroll">
          <table className="data" data-testid="top-ips">
            <thead>
              <tr>
                <th>Source IP</th>
                <th className="num">Distinct usernames</th>
                <th className="num">Attempts</th>
                <th>Findings</th>
                <th>First seen</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {overview.topSourceIps.map((ip) => (
                <tr key={ip.ipAddress}>
                  <td>
                    <Link className="mono" href={`/ips/${encodeURIComponent(ip.ipAddress)}${datasetId ? `?dataset=${datasetId}` : ''}`}>
                      {ip.ipAddress}
                    </Link>
                  </td>
                  <td className="num">{formatNumber(ip.uniqueUsernames)}</td>
                  <td className="num">{formatNumber(ip.attempts)}</td>
                  <td>{ip.topVerdict ? <><VerdictBadge verdict={ip.topVerdict} short /> × {ip.findings}</> : <span className="muted">none</span>}</td>
                  <td className="nowrap">{formatUtc(ip.firstSeen, 'minute')}</td>
                  <td className="nowrap">{formatUtc(ip.lastSeen, 'minute')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
