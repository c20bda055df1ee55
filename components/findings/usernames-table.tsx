'use client'

import { useDeferredValue, useMemo, useRef, useState } from 'react'
import { useTable, type SortingState } from '@tanstack/react-table'
import type { FindingUsername } from '@/lib/findings/finding-details'
import { SortableTable } from '@/components/ui/sortable-table'
import { formatNumber } from '@/components/ui/format'
import { usernamesColumns, usernamesFeatures } from './usernames-columns'

/**
 * Sorted and filtered in the browser: a finding's usernames are at most a few thousand rows. The
 * filter box matches any part of a username or an error code, in any case. The page sends the
 * first usernames only (in first-attempt order, the default sort); "Show all", filtering or
 * sorting loads the whole list from the usernames API, so they always act on all of them.
 */
export function UsernamesTable({ findingId, initial, total }: { findingId: number; initial: FindingUsername[]; total: number }) {
  const [loaded, setLoaded] = useState<FindingUsername[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const loading = useRef(false)
  const usernames = loaded ?? initial
  const partial = usernames.length < total
  const loadAll = () => {
    if (!partial || loading.current) return
    loading.current = true
    setLoadError(null)
    fetch(`/api/findings/${findingId}/usernames`)
      .then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`)
        setLoaded(((await response.json()) as { usernames: FindingUsername[] }).usernames)
      })
      .catch((error: Error) => setLoadError(error.message))
      .finally(() => {
        loading.current = false
      })
  }
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
    onSortingChange: (change) => {
      setSorting(change)
      loadAll()
    },
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
            onChange={(e) => {
              setFilter(e.target.value)
              loadAll()
            }}
            data-testid="usernames-filter"
            maxLength={200}
          />
        </label>
        <span className="muted" aria-live="polite" data-testid="usernames-filter-count">
          {needle === '' ? `${formatNumber(total)} usernames` : `${formatNumber(shown.length)} of ${formatNumber(usernames.length)} usernames`}
        </span>
        {partial && (
          <span className="muted" data-testid="usernames-partial">
            the first {formatNumber(usernames.length)} listed{' '}
            <button type="button" onClick={loadAll} data-testid="usernames-show-all">
              Show all {formatNumber(total)}
            </button>
          </span>
        )}
        {loadError && (
          <span className="error-box" role="alert">
            Could not load the usernames: {loadError}
          </span>
        )}
      </div>
      {shown.length === 0 ? (
        <p className="empty">No username of this finding matches “{filter.trim()}”.</p>
      ) : (
        <SortableTable table={table} testId="usernames-table" maxHeight={480} rowAttributes={(row) => ({ 'data-username': row.userPrincipalName })} />
      )}
    </>
  )
}
