import Link from 'next/link'
import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFns, tableFeatures } from '@tanstack/react-table'
import type { IpBucket } from '@/lib/ips/get-ip-activity'
import { formatHour, formatUtc } from '@/components/ui/format'
import { TruncatedText } from '@/components/ui/truncated-text'
import { VerdictBadge } from '@/components/ui/verdict-badge'

export const ipBucketsFeatures = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns })

const column = createColumnHelper<typeof ipBucketsFeatures, IpBucket>()

export const ipBucketsColumns = column.columns([
  column.accessor('bucket', { header: 'Hour (UTC)', cell: (info) => <span className="nowrap">{formatHour(info.getValue())}</span> }),
  column.accessor('uniqueUsernames', { header: 'Users', meta: { numeric: true }, sortDescFirst: true }),
  column.accessor('attempts', { header: 'Attempts', meta: { numeric: true }, sortDescFirst: true }),
  column.accessor((row) => row.verdict ?? '', {
    id: 'verdict',
    header: 'Verdict',
    cell: (info) =>
      info.row.original.verdict && info.row.original.findingId ? (
        <Link href={`/findings/${info.row.original.findingId}`}>
          <VerdictBadge verdict={info.row.original.verdict} short />
        </Link>
      ) : (
        <span className="muted">below threshold</span>
      ),
  }),
  column.accessor('clientAppUsed', { header: 'Client app', cell: (info) => <TruncatedText text={info.getValue()} max={24} /> }),
  column.accessor('userAgent', { header: 'User agent', cell: (info) => <TruncatedText text={info.getValue()} max={32} className="mono" /> }),
  column.accessor('firstSeen', { header: 'First', cell: (info) => <span className="nowrap">{formatUtc(info.getValue()).slice(11)}</span> }),
  column.accessor('lastSeen', { header: 'Last', cell: (info) => <span className="nowrap">{formatUtc(info.getValue()).slice(11)}</span> }),
  column.accessor('datasetName', { header: 'Dataset' }),
])
