import Link from 'next/link'
import { notFound } from 'next/navigation'
import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { CampaignReasons } from '@/components/campaigns/campaign-reasons'
import { CampaignSourcesTable } from '@/components/campaigns/campaign-sources-table'
import { CampaignTimelineChart } from '@/components/campaigns/campaign-timeline-chart'
import { ConfirmedAccountsTable } from '@/components/campaigns/confirmed-accounts-table'
import { LinkedFindings } from '@/components/campaigns/linked-findings'
import { formatNumber, formatUtc } from '@/components/ui/format'
import { VerdictBadge } from '@/components/ui/verdict-badge'
import { AuditTrail } from '@/components/triage/audit-trail'
import { CommentsSection } from '@/components/triage/comments-section'
import { TriagePanel } from '@/components/triage/triage-panel'
import { can } from '@/lib/auth/roles'
import { campaignConfirmedAccounts } from '@/lib/campaigns/confirmed-accounts'
import { CAMPAIGN_LIST_LIMIT } from '@/lib/campaigns/campaign-types'
import { getCampaign } from '@/lib/campaigns/get-campaign'
import { toTimelineSeries } from '@/lib/campaigns/timeline-series'
import { parseId } from '@/lib/http/responses'
import { getCampaignTriage, listAssignees } from '@/lib/triage/triage-queries'

export const metadata = { title: 'Campaign' }

function formatCadence(seconds: number | null): string {
  if (seconds === null) return '—'
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
  return `${(seconds / 60).toFixed(1)} min`
}

/** Confirmed accounts the page lists before "Show all": the full list is the CSV export or `?accounts=all`. */
const CAMPAIGN_PAGE_ACCOUNTS = 50

type ListParams = { accounts?: string | string[]; sources?: string | string[]; findings?: string | string[] }

/** The page's URL with one more list shown whole, keeping the others as they are. */
function showAllHref(id: number, shown: ListParams, list: keyof ListParams, anchor: string): string {
  const query = new URLSearchParams()
  for (const name of ['accounts', 'sources', 'findings'] as const) if (name === list || shown[name] === 'all') query.set(name, 'all')
  return `/campaigns/${id}?${query}#${anchor}`
}

export default async function CampaignPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<ListParams> }) {
  await connection()
  const actor = await requirePageRole('viewer', `/campaigns/${(await params).id}`)
  const id = parseId((await params).id)
  if (id === null) notFound()
  const shown = await searchParams
  // A month-long campaign has thousands of sources and findings: the page lists the first ones.
  const campaign = await getCampaign(id, {
    sources: shown.sources === 'all' ? null : CAMPAIGN_LIST_LIMIT,
    findings: shown.findings === 'all' ? null : CAMPAIGN_LIST_LIMIT,
  })
  if (!campaign) notFound()
  const role = actor.user.role
  const allAccounts = shown.accounts === 'all'
  const [accounts, triage, assignees] = await Promise.all([
    campaignConfirmedAccounts(id, allAccounts ? null : CAMPAIGN_PAGE_ACCOUNTS),
    getCampaignTriage(id, campaign.verdict, campaign.escalated),
    can(role, 'triage') ? listAssignees() : Promise.resolve([]),
  ])
  const openFindings = campaign.openFindingCount
  const stats: [string, string, string?][] = [
    ['Distinct usernames', formatNumber(campaign.uniqueUsernames)],
    ['Confirmed accounts', formatNumber(campaign.confirmedAccounts), 'the account exists'],
    ['Not found (50034)', formatNumber(campaign.notFoundUsernames)],
    ['Attempts', formatNumber(campaign.attempts)],
    ['Source IPs', formatNumber(campaign.ipCount)],
    ['User agents', formatNumber(campaign.userAgentCount)],
    ['Sources', formatNumber(campaign.sourceCount), 'IP, client app, user agent'],
    ['Cadence', formatCadence(campaign.cadenceSeconds), 'median between attempts'],
  ]

  return (
    <>
      <div className="breadcrumbs">
        <Link href="/campaigns">Campaigns</Link> › <Link href={`/campaigns?dataset=${campaign.datasetId}`}>{campaign.datasetName}</Link> › campaign {campaign.id}
      </div>
      <div className="page-header">
        <div>
          <h1>Campaign {campaign.id}</h1>
          <span className="muted">
            {formatUtc(campaign.firstSeen)} – {formatUtc(campaign.lastSeen)}
          </span>
        </div>
        <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }}>
          <VerdictBadge verdict={campaign.verdict} />
          <CampaignReasons reasons={campaign.reasons} />
        </span>
      </div>

      <div className="stats">
        {stats.map(([label, value, detail]) => (
          <div className="stat" key={label}>
            <div className="label">{label}</div>
            <div className="value">{value}</div>
            {detail && <div className="detail">{detail}</div>}
          </div>
        ))}
      </div>

      <div className="grid" style={{ marginTop: 16 }}>
        <TriagePanel
          subject="campaign"
          subjectId={campaign.id}
          openFindings={openFindings}
          state={triage.state}
          isHigh={campaign.verdict === 'High Confidence Enumeration'}
          assignees={assignees}
          currentUserId={actor.user.id}
          permissions={{ triage: can(role, 'triage'), review: can(role, 'review'), closeHighAsFalsePositive: can(role, 'closeHighAsFalsePositive') }}
        />
      </div>

      <h2>Attempts per hour by source IP</h2>
      <CampaignTimelineChart series={toTimelineSeries(campaign.timeline)} />

      <h2 id="campaign-sources-heading">Sources ({formatNumber(campaign.sourceCount)})</h2>
      <CampaignSourcesTable sources={campaign.sources} datasetId={campaign.datasetId} />
      {campaign.sources.length < campaign.sourceCount && (
        <p className="muted" data-testid="campaign-sources-partial">
          The first {formatNumber(campaign.sources.length)} of {formatNumber(campaign.sourceCount)} are listed.{' '}
          <Link href={showAllHref(campaign.id, shown, 'sources', 'campaign-sources-heading')}>Show all {formatNumber(campaign.sourceCount)}</Link>
        </p>
      )}
      <p className="legend-note">
        AS numbers come from the sign-in logs; where a log had none they are looked up offline in the @ip-location-db/asn data (RouteViews, NRO and{' '}
        <a href="https://db-ip.com">IP Geolocation by DB-IP</a>, CC BY 4.0).
      </p>

      <div className="grid" style={{ marginTop: 16 }}>
        <ConfirmedAccountsTable
          campaignId={campaign.id}
          accounts={accounts}
          total={campaign.confirmedAccounts}
          showAllHref={showAllHref(campaign.id, shown, 'accounts', 'confirmed-accounts-heading')}
        />
        <LinkedFindings
          findings={campaign.findings}
          total={campaign.findingCount}
          openTotal={campaign.openFindingCount}
          showAllHref={showAllHref(campaign.id, shown, 'findings', 'linked-findings-heading')}
          permissions={{ triage: can(role, 'triage'), closeHighAsFalsePositive: can(role, 'closeHighAsFalsePositive') }} />
      </div>

      <CommentsSection campaignId={campaign.id} comments={triage.comments} canComment={can(role, 'comment')} />
      <AuditTrail entries={triage.audit} subject="campaign" />
    </>
  )
}
