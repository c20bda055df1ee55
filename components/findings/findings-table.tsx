'use client'

import { usePathname, useRouter } from 'next/navigation'
import { useState, useTransition } from 'react'
import { useTable, type ColumnVisibilityState, type PaginationState, type RowSelectionState, type SortingState, type Updater } from '@tanstack/react-table'
import type { FindingListRow } from '@/lib/findings/finding-row'
import { findingsQueryToParams, PAGE_SIZES, type FindingsQuery, type SortSpec } from '@/lib/findings/findings-query'
import { formatNumber } from '@/components/ui/format'
import { SortableTable } from '@/components/ui/sortable-table'
import { BulkActions, type Assignee } from './bulk-actions'
import { DEFAULT_HIDDEN_COLUMNS } from './column-defaults'
import { COLUMN_LABELS, findingsColumns } from './findings-columns'
import { findingsFeatures } from './findings-features'

interface Props {
  rows: FindingListRow[]
  total: number
  /** The query the rows answer, as parsed from the URL (dates as ISO strings). */
  query: SerializedFindingsQuery
  hidden: string[]
  /** Present when the user may triage: enables selection and the bulk actions. */
  triage: { assignees: Assignee[]; currentUserId: number; canCloseHighAsFalsePositive: boolean } | null
}

export type SerializedFindingsQuery = Omit<FindingsQuery, 'from' | 'to'> & { from: string | null; to: string | null }

function resolve<T>(updater: Updater<T>, current: T): T {
  return typeof updater === 'function' ? (updater as (old: T) => T)(current) : updater
}

/**
 * The findings table. Sorting (shift-click for several columns), paging and column visibility
 * live in the URL; changing them navigates, and the server answers with the new page from SQL.
 */
export function FindingsTable({ rows, total, query, hidden, triage }: Props) {
  const router = useRouter()
  const pathname = usePathname()
  const [pending, startTransition] = useTransition()

  const sorting: SortingState = query.sort.map((s) => ({ id: s.id, desc: s.desc }))
  const pagination: PaginationState = { pageIndex: query.page - 1, pageSize: query.pageSize }
  const columnVisibility: ColumnVisibilityState = Object.fromEntries([...hidden, ...(triage ? [] : ['select'])].map((id) => [id, false]))
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({})

  const navigate = (changes: Partial<SerializedFindingsQuery>, hide: string[] = hidden) => {
    const next = { ...query, ...changes }
    const params = findingsQueryToParams({ ...next, from: next.from ? new Date(next.from) : null, to: next.to ? new Date(next.to) : null })
    if (hide.join(',') !== DEFAULT_HIDDEN_COLUMNS.join(',')) params.set('hide', hide.join(','))
    startTransition(() => router.push(`${pathname}?${params.toString()}`, { scroll: false }))
  }

  const table = useTable({
    features: findingsFeatures,
    columns: findingsColumns,
    data: rows,
    getRowId: (row) => String(row.id),
    state: { sorting, pagination, columnVisibility, rowSelection },
    enableRowSelection: Boolean(triage),
    onRowSelectionChange: setRowSelection,
    manualSorting: true,
    manualPagination: true,
    rowCount: total,
    enableMultiSort: true,
    maxMultiSortColCount: 4,
    onSortingChange: (updater) => navigate({ sort: resolve(updater, sorting) as SortSpec[], page: 1 }),
    onPaginationChange: (updater) => {
      const next = resolve(updater, pagination)
      navigate({ page: next.pageIndex + 1, pageSize: next.pageSize })
    },
    onColumnVisibilityChange: (updater) => {
      const next = resolve(updater, columnVisibility)
      navigate({}, Object.entries(next).filter(([id, visible]) => !visible && id !== 'select').map(([id]) => id))
    },
  })

  const selected = rows.filter((row) => rowSelection[String(row.id)])
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize))
  const firstRow = total === 0 ? 0 : (query.page - 1) * query.pageSize + 1
  const lastRow = Math.min(total, query.page * query.pageSize)

  return (
    <div aria-busy={pending}>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <span className="muted" role="status">
          {pending ? 'Loading…' : `${formatNumber(firstRow)}–${formatNumber(lastRow)} of ${formatNumber(total)} findings`}
        </span>
        <details className="columns-menu">
          <summary>Columns</summary>
          <div>
            {table
              .getAllLeafColumns()
              .filter((c) => COLUMN_LABELS[c.id])
              .map((c) => (
                <label key={c.id}>
                  <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} /> {COLUMN_LABELS[c.id]}
                </label>
              ))}
          </div>
        </details>
      </div>
      {triage && selected.length > 0 && (
        <BulkActions
          findingIds={selected.map((row) => row.id)}
          assignees={triage.assignees}
          currentUserId={triage.currentUserId}
          canCloseHighAsFalsePositive={triage.canCloseHighAsFalsePositive}
          selectionHasHigh={selected.some((row) => row.verdict === 'High Confidence Enumeration' || row.escalated)}
          onDone={() => setRowSelection({})}
        />
      )}
      <SortableTable table={table} testId="findings-table" rowAttributes={(row) => ({ 'data-finding-id': row.id })} />
      <nav className="pager" aria-label="Pages">
        <label className="muted">
          Rows per page{' '}
          <select value={query.pageSize} onChange={(e) => navigate({ pageSize: Number(e.target.value), page: 1 })}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => navigate({ page: 1 })} disabled={query.page <= 1}>
          First
        </button>
        <button type="button" onClick={() => navigate({ page: query.page - 1 })} disabled={query.page <= 1}>
          Previous
        </button>
        <span>
          Page {query.page} of {formatNumber(pageCount)}
        </span>
        <button type="button" onClick={() => navigate({ page: query.page + 1 })} disabled={query.page >= pageCount}>
          Next
        </button>
        <button type="button" onClick={() => navigate({ page: pageCount })} disabled={query.page >= pageCount}>
          Last
        </button>
      </nav>
    </div>
  )
}
