import Link from 'next/link'
import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFns, tableFeatures } from '@tanstack/react-table'
import type { CampaignSource } from '@/lib/campaigns/campaign-types'
import { formatNumber, formatUtc } from '@/components/ui/format'
import { TruncatedText } from '@/components/ui/truncated-text'

export const campaignSourcesFeatures = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns })

const column = createColumnHelper<typeof campaignSourcesFeatures, CampaignSource>()

/** Columns of a campaign's sources; `datasetId` keeps the IP links inside the campaign's dataset. */
export function campaignSourcesColumns(datasetId: number) {
  return column.columns([
    column.accessor('ipAddress', {
      header: 'Source IP',
      cell: (info) => (
        <Link className="mono" href={`/ips/${encodeURIComponent(info.getValue())}?dataset=${datasetId}`}>
          {info.getValue()}
        </Link>
      ),
    }),
    column.accessor((row) => row.autonomousSystem ?? -1, { id: 'autonomousSystem', header: 'ASN', cell: (info) => <span className="mono">{info.row.original.autonomousSystem ? `AS${info.row.original.autonomousSystem}` : '—'}</span> }),
    column.accessor('clientAppUsed', { header: 'Client app', cell: (info) => <TruncatedText text={info.getValue()} max={32} /> }),
    column.accessor('userAgent', { header: 'User agent', cell: (info) => <TruncatedText text={info.getValue()} max={40} className="mono" /> }),
    column.accessor('uniqueUsernames', { header: 'Usernames', meta: { numeric: true }, sortDescFirst: true, cell: (info) => formatNumber(info.getValue()) }),
    column.accessor('attempts', { header: 'Attempts', meta: { numeric: true }, sortDescFirst: true, cell: (info) => formatNumber(info.getValue()) }),
    column.accessor('firstSeen', { header: 'First seen', cell: (info) => <span className="nowrap">{formatUtc(info.getValue())}</span> }),
    column.accessor('lastSeen', { header: 'Last seen', cell: (info) => <span className="nowrap">{formatUtc(info.getValue())}</span> }),
  ])
}
