'use client'

import { useDeferredValue, useMemo, useState } from 'react'
import { useTable, type SortingState } from '@tanstack/react-table'
import type { FindingUsername } from '@/lib/findings/finding-details'
import { SortableTable } from '@/components/ui/sortable-table'
import { formatNumber } from '@/components/ui/format'
import { usernamesColumns, usernamesFeatures } from './usernames-columns'

/**
 * Sorted and filtered in the browser: a finding's usernames are at most a few thousand rows. The
 * filter box matches any part of a username or an error code, in any case.
 */
export function UsernamesTable({ usernames }: { usernames: FindingUsername[] }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'firstAttempt', desc: false }])
  const [filter, setFilter] = useState('')
  const needle = useDeferredValue(filter.trim().toLowerCase())
  const shown = useMemo(
    () => (needle === '' ? usernames : usernames.filter((u) => u.userPrincipalName.toLowerCase().includes(needle) || u.errorCodes.some((code) => code === needle))),
    [usernames, needle],
  )
  const table = useTable({
    features: usernamesFeatures,
    columns: usernamesColumns,
    data: shown,
    state: { sorting },
    onSortingChange: setSorting,
    enableMultiSort: true,
    getRowId: (row) => row.userPrincipalName,
  })
  return (
    <>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', marginBottom: 8 }}>
        <label>
          <span className="sr-only">Filter the usernames</span>
          <input
            type="search"
            name="usernameFilter"
            placeholder="Filter usernames or a code"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            data-testid="usernames-filter"
            maxLength={200}
          />
        </label>
        <span className="muted" aria-live="polite" data-testid="usernames-filter-count">
          {needle === '' ? `${formatNumber(usernames.length)} usernames` : `${formatNumber(shown.length)} of ${formatNumber(usernames.length)} usernames`}
        </span>
      </div>
      {shown.length === 0 ? (
        <p className="empty">No username of this finding matches “{filter.trim()}”.</p>
      ) : (
        <SortableTable table={table} testId="usernames-table" maxHeight={480} rowAttributes={(row) => ({ 'data-username': row.userPrincipalName })} />
      )}
    </>
  )
}
