import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFns, tableFeatures } from '@tanstack/react-table'
import type { FindingUsername } from '@/lib/findings/finding-details'
import { formatUtc } from '@/components/ui/format'
import { AccountExistsBadge } from './account-exists-badge'

export const usernamesFeatures = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns })

const column = createColumnHelper<typeof usernamesFeatures, FindingUsername>()

/** The drill-down's username table: every username behind a finding. */
export const usernamesColumns = column.columns([
  column.accessor('userPrincipalName', { header: 'Username', cell: (info) => <span className="mono">{info.getValue()}</span>, sortFn: 'alphanumeric' }),
  column.accessor('attempts', { header: 'Attempts', meta: { numeric: true }, sortDescFirst: true }),
  column.accessor((row) => row.errorCodes.join(', '), { id: 'errorCodes', header: 'Error codes', cell: (info) => <span className="mono">{info.getValue()}</span> }),
  column.accessor((row) => (row.accountExists === true ? 2 : row.accountExists === false ? 0 : 1), {
    id: 'accountExists',
    header: 'Account',
    cell: (info) => <AccountExistsBadge exists={info.row.original.accountExists} />,
    sortDescFirst: true,
  }),
  column.accessor('firstAttempt', { header: 'First attempt', cell: (info) => <span className="nowrap">{formatUtc(info.getValue(), 'ms')}</span> }),
  column.accessor('lastAttempt', { header: 'Last attempt', cell: (info) => <span className="nowrap">{formatUtc(info.getValue(), 'ms')}</span> }),
])
