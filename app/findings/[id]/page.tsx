import Link from 'next/link'
import { BackToFindings } from '@/components/findings/back-to-findings'
import { notFound } from 'next/navigation'
import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { UsernameTimelineChart } from '@/components/charts/username-timeline-chart'
import { EventsTable } from '@/components/findings/events-table'
import { UsernamesTable } from '@/components/findings/usernames-table'
import { formatHour, formatNumber, formatUtc } from '@/components/ui/format'
import { TruncatedText } from '@/components/ui/truncated-text'
import { VerdictBadge } from '@/components/ui/verdict-badge'
import { eventRows, FINDING_PAGE_USERNAMES, usernameTimeline } from '@/lib/findings/username-timeline'
import { getFinding, getFindingEscalations, getFindingEvents, getFindingUsernames, MAX_FINDING_EVENTS } from '@/lib/findings/finding-details'
import { EscalationsSection } from '@/components/findings/escalations-section'
import { FindingBadges } from '@/components/findings/finding-badges'
import { YieldSection } from '@/components/findings/yield-section'
import { confirmedAccounts } from '@/lib/remediation/confirmed-accounts'
import { AuditTrail } from '@/components/triage/audit-trail'
import { CommentsSection } from '@/components/triage/comments-section'
import { TriagePanel } from '@/components/triage/triage-panel'
import { can } from '@/lib/auth/roles'
import { PROBED_LABEL, TARGETED_LABEL } from '@/lib/ips/count-labels'
import { getFindingTriage, listAssignees } from '@/lib/triage/triage-queries'
import { parseId } from '@/lib/http/edge-input'

export const metadata = { title: 'Finding' }

export default async function FindingPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ accounts?: string | string[] }> }) {
  await connection()
  const actor = await requirePageRole('viewer', `/findings/${(await params).id}`)
  const id = parseId((await params).id)
  if (id === null) notFound()
  const finding = await getFinding(id)
  if (!finding) notFound()
  const [usernames, events, triage, assignees, escalations, confirmed] = await Promise.all([
    getFindingUsernames(id),
    getFindingEvents(id),
    getFindingTriage(id, finding.verdict, finding.escalated),
    can(actor.user.role, 'triage') ? listAssignees() : Promise.resolve([]),
    getFindingEscalations(id),
    confirmedAccounts({ findingId: id }),
  ])
  const allAccounts = (await searchParams).accounts === 'all'
  const existing = usernames.filter((u) => u.accountExists === true).length
  const notFoundCount = usernames.filter((u) => u.accountExists === false).length

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <BackToFindings /> › <Link href={`/findings?dataset=${finding.datasetId}`}>{finding.datasetName}</Link> › finding {finding.id}
      </nav>
      <div className="page-header">
        <div>
          <h1>
            <span className="mono">{finding.ipAddress}</span> · {formatHour(finding.bucket)} UTC
          </h1>
          <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }}>
            <VerdictBadge verdict={finding.verdict} />
            <FindingBadges
              kind={finding.kind}
              verdict={finding.verdict}
              slidingVerdict={finding.slidingVerdict}
              slidingPeakUsernames={finding.slidingPeakUsernames}
              escalated={finding.escalated}
              suppressedByName={finding.suppressedBy?.name ?? null}
              campaignId={finding.campaignId}
            />
          </span>
        </div>
        <span style={{ display: 'flex', gap: 8 }}>
          <Link className="button" href={`/ips/${encodeURIComponent(finding.ipAddress)}?dataset=${finding.datasetId}`}>
            Timeline of this IP
          </Link>
          <a className="button" href={`/api/findings/${finding.id}/evidence`} download>
            Evidence bundle
          </a>
        </span>
      </div>

      <EscalationsSection escalations={escalations} datasetId={finding.datasetId} />
      {finding.suppressedBy && (
        <p className="notice">
          Suppressed by the rule <strong>{finding.suppressedBy.name}</strong>: {finding.suppressedBy.reason}. <Link href="/tuning">Manage suppressions</Link>
        </p>
      )}
      {finding.kind !== 'hourly' && (
        <p className="notice">
          {finding.kind === 'sliding'
            ? `No fixed UTC hour reached the threshold: this ${finding.windowMinutes}-minute window across the hour boundary did. The reference rule misses it.`
            : `Low and slow: never enough usernames in one hour, ${finding.uniqueUsernames} over ${finding.windowMinutes / 60} hours. The reference rule misses it.`}
        </p>
      )}
      {finding.slidingVerdict && finding.slidingPeakUsernames !== null && finding.kind === 'hourly' && (
        <p className={finding.slidingVerdict !== finding.verdict ? 'notice' : 'muted'} data-testid="sliding-peak">
          Fixed hour: {finding.verdict} ({finding.uniqueUsernames} usernames). Sliding window: {finding.slidingVerdict} ({finding.slidingPeakUsernames} usernames in the{' '}
          window from {formatUtc(finding.slidingPeakStart, 'second')}){finding.slidingVerdict !== finding.verdict ? ' — the hour boundary split this burst.' : '.'}
        </p>
      )}

      <div className="stats">
        <div className="stat">
          <div className="label">{TARGETED_LABEL}</div>
          <div className="value" data-testid="unique-usernames">{formatNumber(finding.uniqueUsernames)}</div>
          <div className="detail">what the rule counts</div>
        </div>
        <div className="stat">
          <div className="label">{PROBED_LABEL}</div>
          <div className="value" data-testid="probed-usernames">{formatNumber(finding.confirmedAccounts + finding.notFoundUsernames)}</div>
          <div className="detail" data-testid="yield-sum">
            {formatNumber(finding.confirmedAccounts)} confirmed + {formatNumber(finding.notFoundUsernames)} not found
          </div>
        </div>
        <div className="stat">
          <div className="label">Attempts</div>
          <div className="value">{formatNumber(finding.attemptCount)}</div>
        </div>
        <div className="stat">
          <div className="label">Rate</div>
          <div className="value">{finding.enumerationRatePerMin}</div>
          <div className="detail">usernames per minute</div>
        </div>
        <div className="stat">
          <div className="label">Duration</div>
          <div className="value">{finding.durationMinutes}</div>
          <div className="detail">minutes</div>
        </div>
        <div className="stat">
          <div className="label">Accounts confirmed</div>
          <div className={`value${finding.confirmedAccounts > 0 ? ' confirmed' : ''}`}>{formatNumber(finding.confirmedAccounts)}</div>
          <div className="detail">
            <span data-testid="existing-accounts">{formatNumber(existing)}</span> by the rule&apos;s codes, {formatNumber(finding.confirmedAccounts - existing)} by 50126/50057 ·{' '}
            {formatNumber(notFoundCount)} names not found (50034)
          </div>
        </div>
      </div>

      <dl className="facts panel">
        <dt>Client app</dt>
        <dd>
          <TruncatedText text={finding.clientAppUsed} max={80} />
        </dd>
        <dt>User agent</dt>
        <dd>
          <TruncatedText text={finding.userAgent} max={80} className="mono" />
        </dd>
        <dt>Applications</dt>
        <dd>{finding.appList.length ? finding.appList.join(', ') : <span className="muted">none recorded</span>}</dd>
        <dt>First / last seen</dt>
        <dd>
          {formatUtc(finding.firstSeen, 'ms')} – {formatUtc(finding.lastSeen, 'ms')}
        </dd>
        <dt>Window, codes</dt>
        <dd>
          {finding.windowMinutes} minutes from {formatUtc(finding.bucket, 'minute')}; codes {finding.errorCodes.join(', ')}
        </dd>
        <dt>Dataset</dt>
        <dd>{finding.datasetName}</dd>
      </dl>

      <div className="grid cols-2" style={{ marginTop: 16 }}>
        <TriagePanel
          subjectId={finding.id}
          state={triage.state}
          isHigh={finding.verdict === 'High Confidence Enumeration'}
          assignees={assignees}
          currentUserId={actor.user.id}
          permissions={{ triage: can(actor.user.role, 'triage'), review: can(actor.user.role, 'review'), closeHighAsFalsePositive: can(actor.user.role, 'closeHighAsFalsePositive') }}
        />
        <div>
          <CommentsSection findingId={finding.id} comments={triage.comments} canComment={can(actor.user.role, 'comment')} />
        </div>
      </div>

      <YieldSection
        exportHref={`/api/findings/${finding.id}/confirmed-accounts?format=csv`}
        notFound={finding.notFoundUsernames}
        accounts={confirmed}
        all={allAccounts}
        showAllHref={`/findings/${finding.id}?accounts=all#yield`}
      />

      <div className="page-header" style={{ marginTop: 24, marginBottom: 8 }}>
        <h2 style={{ margin: 0 }}>Usernames ({formatNumber(usernames.length)})</h2>
        <span style={{ display: 'flex', gap: 8 }}>
          <a className="button" href={`/api/findings/${finding.id}/usernames?format=csv`} download>
            Export CSV
          </a>
          <a className="button" href={`/api/findings/${finding.id}/usernames`} download={`finding-${finding.id}-usernames.json`}>
            Export JSON
          </a>
        </span>
      </div>
      <UsernamesTable findingId={finding.id} initial={usernames.slice(0, FINDING_PAGE_USERNAMES)} total={usernames.length} />

      <h2>Attempts per username</h2>
      <UsernameTimelineChart timeline={usernameTimeline(events, finding.bucket)} bucketStart={finding.bucket} windowMinutes={finding.windowMinutes} />

      <h2>Sign-in events ({formatNumber(events.length)})</h2>
      {events.length >= MAX_FINDING_EVENTS && (
        <p className="notice">The first {formatNumber(MAX_FINDING_EVENTS)} events are listed; export the usernames for the complete picture.</p>
      )}
      <EventsTable findingId={finding.id} initial={eventRows(events)} total={events.length} />

      <AuditTrail entries={triage.audit} />
    </>
  )
}
