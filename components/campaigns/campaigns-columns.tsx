import Link from 'next/link'
import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFns, tableFeatures } from '@tanstack/react-table'
import type { CampaignSummary } from '@/lib/campaigns/campaign-types'
import { VERDICTS } from '@/lib/detection/verdicts'
import { formatNumber, formatUtc } from '@/components/ui/format'
import { VerdictBadge } from '@/components/ui/verdict-badge'
import { ReviewBadge, StatusBadge } from '@/components/triage/triage-badges'
import { TRIAGE_STATUSES } from '@/lib/triage/triage-model'
import { CampaignReasons } from './campaign-reasons'

export const campaignsFeatures = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns })

const column = createColumnHelper<typeof campaignsFeatures, CampaignSummary>()

export const campaignsColumns = column.columns([
  column.accessor((row) => VERDICTS.length - VERDICTS.indexOf(row.verdict), {
    id: 'tier',
    header: 'Tier',
    sortDescFirst: true,
    cell: (info) => (
      // The name starts with what the link shows (the tier), then says which campaign it opens.
      <Link href={`/campaigns/${info.row.original.id}`}>
        <VerdictBadge verdict={info.row.original.verdict} short />
        <span className="sr-only"> campaign {info.row.original.id}</span>
      </Link>
    ),
  }),
  column.accessor('sourceCount', { header: 'Sources', meta: { numeric: true }, sortDescFirst: true }),
  column.accessor('ipCount', { header: 'IPs', meta: { numeric: true }, sortDescFirst: true }),
  column.accessor('userAgentCount', { header: 'User agents', meta: { numeric: true }, sortDescFirst: true }),
  column.accessor('uniqueUsernames', { header: 'Usernames', meta: { numeric: true }, sortDescFirst: true, cell: (info) => formatNumber(info.getValue()) }),
  column.accessor('confirmedAccounts', {
    header: 'Confirmed accounts',
    meta: { numeric: true },
    sortDescFirst: true,
    cell: (info) => <span className={info.getValue() > 0 ? 'yield' : 'muted'}>{info.getValue() > 0 ? <span className="confirmed">{formatNumber(info.getValue())}</span> : '0'}</span>,
  }),
  column.accessor('firstSeen', { header: 'First seen', cell: (info) => <span className="nowrap">{formatUtc(info.getValue(), 'minute')}</span> }),
  column.accessor('lastSeen', { header: 'Last seen', cell: (info) => <span className="nowrap">{formatUtc(info.getValue(), 'minute')}</span> }),
  column.accessor((row) => row.reasons.join(', '), { id: 'reasons', header: 'Why grouped', enableSorting: false, cell: (info) => <CampaignReasons reasons={info.row.original.reasons} /> }),
  column.accessor((row) => TRIAGE_STATUSES.indexOf(row.triageStatus), {
    id: 'status',
    header: 'Status',
    cell: (info) => (
      <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
        <StatusBadge status={info.row.original.triageStatus} />
        {info.row.original.reviewStatus !== 'not_required' && <ReviewBadge review={info.row.original.reviewStatus} />}
      </span>
    ),
  }),
  column.accessor((row) => row.ownerEmail ?? '', {
    id: 'owner',
    header: 'Owner',
    cell: (info) => info.row.original.ownerEmail ?? <span className="muted">unassigned</span>,
  }),
  column.accessor('datasetName', { header: 'Dataset' }),
])
