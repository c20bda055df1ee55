import Link from 'next/link'
import { BackToFindings } from '@/components/findings/back-to-findings'
import { notFound } from 'next/navigation'
import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { IpTimelineChart } from '@/components/charts/ip-timeline-chart'
import { YieldSection } from '@/components/findings/yield-section'
import { IpBucketsTable } from '@/components/ips/ip-buckets-table'
import { formatNumber, formatUtc } from '@/components/ui/format'
import { TruncatedText } from '@/components/ui/truncated-text'
import { getIpActivity, InvalidIpError, parseIp } from '@/lib/ips/get-ip-activity'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { ipConfirmedAccounts } from '@/lib/remediation/confirmed-accounts'
import { listIpCampaigns } from '@/lib/campaigns/list-campaigns'
import { PROBED_LABEL, TARGETED_LABEL } from '@/lib/ips/count-labels'
import { StatusBadge } from '@/components/triage/triage-badges'
import { VerdictBadge } from '@/components/ui/verdict-badge'

export const metadata = { title: 'Source IP' }

export default async function IpPage({ params, searchParams }: { params: Promise<{ ip: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  await requirePageRole('viewer', `/ips/${(await params).ip}`)
  let ip: string
  try {
    ip = parseIp((await params).ip)
  } catch (error) {
    if (error instanceof InvalidIpError) notFound()
    throw error
  }
  const query = await searchParams
  const datasetIds = datasetFilter(query)
  const allAccounts = query.accounts === 'all'
  const [activity, confirmed, campaigns] = await Promise.all([getIpActivity(ip, datasetIds), ipConfirmedAccounts(ip, datasetIds), listIpCampaigns(ip, datasetIds)])
  const exportQuery = new URLSearchParams([...(datasetIds ?? []).map((id) => ['dataset', String(id)]), ['format', 'csv']])
  const findingBuckets = activity.buckets.filter((b) => b.findingId !== null).map((b) => b.bucket)

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <BackToFindings /> › source IP
      </nav>
      <div className="page-header">
        <div>
          <h1 className="mono">{activity.ipAddress}</h1>
          <span className="muted">
            {activity.firstSeen ? `${formatUtc(activity.firstSeen)} – ${formatUtc(activity.lastSeen)}` : 'No sign-ins from this address.'}
          </span>
        </div>
        <Link className="button" href={`/findings?q=${encodeURIComponent(activity.ipAddress)}`}>
          Findings of this IP
        </Link>
      </div>
      {campaigns.length > 0 && (
        <section className="panel" aria-label="Campaigns" data-testid="ip-campaigns" style={{ marginBottom: 16 }}>
          <strong>
            Part of {campaigns.length === 1 ? 'a campaign' : `${campaigns.length} campaigns`}
          </strong>{' '}
          <span className="muted">(one actor over several addresses or user agents):</span>
          <ul style={{ margin: '6px 0 0', paddingLeft: 18 }}>
            {campaigns.map((c) => (
              <li key={c.id}>
                <Link href={`/campaigns/${c.id}`}>Campaign {c.id}</Link> <VerdictBadge verdict={c.verdict} short /> <StatusBadge status={c.triageStatus} />{' '}
                <span className="muted">
                  {formatNumber(c.uniqueUsernames)} usernames from {formatNumber(c.ipCount)} IPs, {formatUtc(c.firstSeen, 'minute')} – {formatUtc(c.lastSeen, 'minute')}
                  {datasetIds?.length === 1 ? '' : ` · ${c.datasetName}`}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {activity.events === 0 ? (
        <div className="empty">
          <strong>No sign-ins from {activity.ipAddress}</strong>
          {datasetIds ? ' in this dataset.' : '.'}
        </div>
      ) : (
        <>
          <div className="stats">
            <div className="stat">
              <div className="label">Sign-ins</div>
              <div className="value">{formatNumber(activity.events)}</div>
            </div>
            <div className="stat">
              <div className="label">Failures (rule codes)</div>
              <div className="value">{formatNumber(activity.enumerationFailures)}</div>
            </div>
            <div className="stat">
              <div className="label">{TARGETED_LABEL}</div>
              <div className="value" data-testid="targeted-usernames">{formatNumber(activity.targetedUsernames)}</div>
              <div className="detail">50034 / 50053 / 50055 / 50056</div>
            </div>
            <div className="stat">
              <div className="label">{PROBED_LABEL}</div>
              <div className="value" data-testid="probed-usernames">{formatNumber(activity.probedUsernames)}</div>
              <div className="detail">not found + accounts confirmed</div>
            </div>
            <div className="stat">
              <div className="label">Names not found</div>
              <div className="value">{formatNumber(activity.notFoundUsernames)}</div>
            </div>
            <div className="stat">
              <div className="label">Accounts confirmed</div>
              <div className={`value${activity.confirmedAccounts > 0 ? ' confirmed' : ''}`} data-testid="ip-confirmed-accounts">
                {formatNumber(activity.confirmedAccounts)}
              </div>
            </div>
            <div className="stat">
              <div className="label">Successful sign-ins</div>
              <div className="value">{formatNumber(activity.successes)}</div>
            </div>
            <div className="stat">
              <div className="label">Findings</div>
              <div className="value">{formatNumber(findingBuckets.length)}</div>
            </div>
          </div>

          <h2>Timeline</h2>
          <IpTimelineChart ip={activity.ipAddress} datasetIds={datasetIds ?? []} timeline={activity.timeline} findingBuckets={findingBuckets} />

          <h2>Hours with rule failures ({formatNumber(activity.buckets.length)})</h2>
          <p className="muted" style={{ marginTop: 0 }}>
            Every hour and client/user-agent pair, above and below the threshold.
          </p>
          <IpBucketsTable buckets={activity.buckets} />

          <YieldSection
            exportHref={`/api/ips/${encodeURIComponent(activity.ipAddress)}/confirmed-accounts?${exportQuery}`}
            notFound={activity.notFoundUsernames}
            accounts={confirmed}
            what="Whoever holds this address"
            all={allAccounts}
            showAllHref={`/ips/${encodeURIComponent(activity.ipAddress)}?${new URLSearchParams([...(datasetIds ?? []).map((id) => ['dataset', String(id)]), ['accounts', 'all']])}#yield`}
          />

          <div className="grid cols-2" style={{ marginTop: 16 }}>
            <section className="panel">
              <h2 style={{ marginTop: 0 }}>Client apps and user agents</h2>
              <table className="data">
                <thead>
                  <tr>
                    <th>Client app</th>
                    <th>User agent</th>
                    <th className="num">Sign-ins</th>
                    <th className="num">Usernames</th>
                  </tr>
                </thead>
                <tbody>
                  {activity.clients.map((c) => (
                    <tr key={`${c.clientAppUsed}\u0000${c.userAgent}`}>
                      <td>
                        <TruncatedText text={c.clientAppUsed} max={24} />
                      </td>
                      <td>
                        <TruncatedText text={c.userAgent} max={36} className="mono" />
                      </td>
                      <td className="num">{formatNumber(c.events)}</td>
                      <td className="num">{formatNumber(c.usernames)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="panel">
              <h2 style={{ marginTop: 0 }}>Location and network</h2>
              {activity.locations.every((l) => !l.city && !l.country && !l.autonomousSystem) ? (
                <p className="muted">The logs carry no location or autonomous system for this address.</p>
              ) : (
                <table className="data">
                  <thead>
                    <tr>
                      <th>Location</th>
                      <th>AS number</th>
                      <th className="num">Sign-ins</th>
                    </tr>
                  </thead>
                  <tbody>
                    {activity.locations.map((l, i) => (
                      <tr key={i}>
                        <td>{[l.city, l.state, l.country].filter(Boolean).join(', ') || <span className="muted">unknown</span>}</td>
                        <td className="mono">{l.autonomousSystem ? `AS${l.autonomousSystem}` : '—'}</td>
                        <td className="num">{formatNumber(l.events)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>
        </>
      )}
    </>
  )
}
