import Link from 'next/link'
import { createColumnHelper } from '@tanstack/react-table'
import type { FindingListRow } from '@/lib/findings/finding-row'
import { formatHour, formatUtc } from '@/components/ui/format'
import { TruncatedText } from '@/components/ui/truncated-text'
import { VerdictBadge } from '@/components/ui/verdict-badge'
import { ReviewBadge, SeverityBadge, StatusBadge } from '@/components/triage/triage-badges'
import { CLASSIFICATION_LABELS } from '@/lib/triage/triage-model'
import { FindingBadges } from './finding-badges'
import type { FindingsFeatures } from './findings-features'

const column = createColumnHelper<FindingsFeatures, FindingListRow>()

/** The findings table's columns, defined apart from the table that renders them. */
export const findingsColumns = column.columns([
  column.display({
    id: 'select',
    header: ({ table }) => (
      <input
        type="checkbox"
        aria-label="Select every finding on this page"
        checked={table.getIsAllPageRowsSelected()}
        ref={(el) => {
          if (el) el.indeterminate = table.getIsSomePageRowsSelected() && !table.getIsAllPageRowsSelected()
        }}
        onChange={table.getToggleAllPageRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <input type="checkbox" aria-label={`Select finding ${row.original.id}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
    ),
  }),
  column.accessor('verdict', {
    header: 'Verdict',
    cell: (info) => {
      const f = info.row.original
      return (
        <span style={{ display: 'inline-flex', flexDirection: 'column', gap: 2 }}>
          <VerdictBadge verdict={f.verdict} short />
          <FindingBadges
            kind={f.kind}
            verdict={f.verdict}
            slidingVerdict={f.slidingVerdict}
            slidingPeakUsernames={f.slidingPeakUsernames}
            escalated={f.escalated}
            suppressedByName={f.suppressedByName}
            campaignId={f.campaignId}
          />
        </span>
      )
    },
    sortDescFirst: true,
  }),
  column.accessor('ipAddress', {
    header: 'Source IP',
    cell: (info) => (
      <Link className="mono" href={`/ips/${encodeURIComponent(info.getValue())}?dataset=${info.row.original.datasetId}`}>
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor('bucket', {
    header: 'Hour (UTC)',
    cell: (info) => <span className="nowrap">{formatHour(info.getValue())}</span>,
  }),
  column.accessor('clientAppUsed', { header: 'Client app', cell: (info) => <TruncatedText text={info.getValue()} max={32} /> }),
  column.accessor('userAgent', { header: 'User agent', cell: (info) => <TruncatedText text={info.getValue()} max={18} className="mono" /> }),
  column.accessor('uniqueUsernames', {
    header: 'Users',
    cell: (info) => (
      <Link href={`/findings/${info.row.original.id}`} aria-label={`${info.getValue()} usernames: open the drill-down`}>
        {info.getValue()}
      </Link>
    ),
    sortDescFirst: true,
    meta: { numeric: true },
  }),
  column.accessor('attemptCount', { header: 'Attempts', sortDescFirst: true, meta: { numeric: true } }),
  column.accessor('confirmedAccounts', {
    header: 'Yield',
    sortDescFirst: true,
    meta: { numeric: true },
    cell: (info) => (
      <span className="yield" title={`${info.getValue()} accounts confirmed to exist + ${info.row.original.notFoundUsernames} names not found (50034) = ${info.getValue() + info.row.original.notFoundUsernames} names probed (rule codes + 50126/50057); Users counts the rule's codes only`}>
        <span className={info.getValue() > 0 ? 'confirmed' : undefined}>{info.getValue()}</span> / {info.row.original.notFoundUsernames}
      </span>
    ),
  }),
  column.accessor('enumerationRatePerMin', { header: 'Rate / min', sortDescFirst: true, meta: { numeric: true } }),
  column.accessor('durationMinutes', { header: 'Minutes', meta: { numeric: true } }),
  column.accessor('firstSeen', { header: 'First seen', cell: (info) => <span className="nowrap">{formatUtc(info.getValue(), 'ms')}</span> }),
  column.accessor('lastSeen', { header: 'Last seen', cell: (info) => <span className="nowrap">{formatUtc(info.getValue(), 'ms')}</span> }),
  column.accessor('usernameSample', {
    header: 'Username sample',
    enableSorting: false,
    cell: (info) => <TruncatedText text={info.getValue().join(', ')} max={36} />,
  }),
  column.accessor('appList', { header: 'Apps', enableSorting: false, cell: (info) => <TruncatedText text={info.getValue().join(', ')} max={28} /> }),
  column.accessor('status', { header: 'Status', cell: (info) => <StatusBadge status={info.getValue()} /> }),
  column.accessor('ownerEmail', {
    id: 'owner',
    header: 'Owner',
    // The name before the @ keeps the column narrow; the whole address is on hover and for screen readers.
    cell: (info) => {
      const email = info.getValue()
      if (!email) return <span className="muted">unassigned</span>
      const name = email.split('@')[0]
      return name === email ? email : (
        <span title={email}>
          {name}
          <span className="sr-only">@{email.slice(name.length + 1)}</span>
        </span>
      )
    },
  }),
  column.accessor('severity', { header: 'Severity', cell: (info) => <SeverityBadge severity={info.getValue()} />, sortDescFirst: true }),
  column.accessor('classification', {
    header: 'Classification',
    enableSorting: false,
    cell: (info) => (info.getValue() ? CLASSIFICATION_LABELS[info.getValue()!] : <span className="muted">—</span>),
  }),
  column.accessor('closeReason', { id: 'reason', header: 'Reason', enableSorting: false, cell: (info) => (info.getValue() ? <TruncatedText text={info.getValue()!} max={40} /> : <span className="muted">—</span>) }),
  column.accessor('reviewStatus', { id: 'review', header: 'Review', enableSorting: false, cell: (info) => <ReviewBadge review={info.getValue()} /> }),
  column.accessor('datasetName', { id: 'dataset', header: 'Dataset', cell: (info) => <TruncatedText text={info.getValue()} max={20} /> }),
  column.display({
    id: 'open',
    header: () => <span className="sr-only">Open</span>,
    cell: (info) => <Link href={`/findings/${info.row.original.id}`}>Details</Link>,
  }),
])

export const COLUMN_LABELS: Record<string, string> = {
  verdict: 'Verdict',
  ipAddress: 'Source IP',
  bucket: 'Hour (UTC)',
  clientAppUsed: 'Client app',
  userAgent: 'User agent',
  uniqueUsernames: 'Users',
  attemptCount: 'Attempts',
  confirmedAccounts: 'Yield (confirmed / not found)',
  enumerationRatePerMin: 'Rate / min',
  durationMinutes: 'Minutes',
  firstSeen: 'First seen',
  lastSeen: 'Last seen',
  usernameSample: 'Username sample',
  appList: 'Apps',
  status: 'Status',
  owner: 'Owner',
  severity: 'Severity',
  classification: 'Classification',
  reason: 'Closing reason',
  review: 'Review',
  dataset: 'Dataset',
}
