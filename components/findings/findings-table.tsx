'use client'

import { usePathname, useRouter } from 'next/navigation'
import { useEffect, useRef, useState, useTransition } from 'react'
import { useTable, type ColumnVisibilityState, type PaginationState, type RowSelectionState, type SortingState, type Updater } from '@tanstack/react-table'
import type { FindingListRow } from '@/lib/findings/finding-row'
import { DEFAULT_SORT, findingsQueryToParams, PAGE_SIZES, type FindingsQuery, type SortSpec } from '@/lib/findings/findings-query'
import { formatNumber } from '@/components/ui/format'
import { SortableTable } from '@/components/ui/sortable-table'
import { nextSort } from '@/components/ui/sort-cycle'
import { sendJson } from '@/components/ui/api-client'
import { BulkActions, type Assignee, type UndoableChange } from './bulk-actions'
import { COLUMN_LABELS, findingsColumns } from './findings-columns'
import { findingsFeatures } from './findings-features'
import { rememberFindingsView } from './findings-view-memory'

interface Props {
  rows: FindingListRow[]
  total: number
  /** The query the rows answer, as parsed from the URL (dates as ISO strings). */
  query: SerializedFindingsQuery
  hidden: string[]
  /** The columns hidden when the URL says nothing (the screen's own defaults). */
  defaultHidden: string[]
  /** Present when the user may triage: enables selection and the bulk actions. */
  triage: { assignees: Assignee[]; currentUserId: number; canCloseHighAsFalsePositive: boolean; canReview: boolean } | null
  /** The review queue: a lead approves selections from here. */
  reviewQueue?: boolean
}

export type SerializedFindingsQuery = Omit<FindingsQuery, 'from' | 'to'> & { from: string | null; to: string | null }

function resolve<T>(updater: Updater<T>, current: T): T {
  return typeof updater === 'function' ? (updater as (old: T) => T)(current) : updater
}

/** Selected finding id → whether it is High or Critical (a false-positive close needs a lead). */
type Selection = Map<number, boolean>

const isHigh = (row: FindingListRow) => row.verdict === 'High Confidence Enumeration' || row.escalated

/**
 * The findings table. Sorting (shift-click for several columns), paging and column visibility
 * live in the URL; changing them navigates, and the server answers with the new page from SQL.
 * The selection is kept while paging, and can take every finding the view matches.
 */
export function FindingsTable({ rows, total, query, hidden, defaultHidden, triage, reviewQueue = false }: Props) {
  const router = useRouter()
  const pathname = usePathname()
  const [pending, startTransition] = useTransition()
  const [selection, setSelection] = useState<Selection>(new Map())
  // "Select all N matching this view": the view itself is the selection, resolved by the server.
  const [wholeView, setWholeView] = useState<{ view: string; total: number } | null>(null)
  const [undo, setUndo] = useState<(UndoableChange & { state: 'ready' | 'busy' | 'done' | 'failed'; result?: string }) | null>(null)
  const [columnsOpen, setColumnsOpen] = useState(false)
  const columnsRef = useRef<HTMLDetailsElement>(null)

  const sorting: SortingState = query.sort.map((s) => ({ id: s.id, desc: s.desc }))
  const pagination: PaginationState = { pageIndex: query.page - 1, pageSize: query.pageSize }
  const columnVisibility: ColumnVisibilityState = Object.fromEntries([...hidden, ...(triage ? [] : ['select'])].map((id) => [id, false]))
  const rowSelection: RowSelectionState = Object.fromEntries(rows.filter((row) => wholeView || selection.has(row.id)).map((row) => [String(row.id), true]))

  // The filters of this view, without paging or sort: a selection belongs to the findings they match.
  const viewKey = JSON.stringify({ ...query, page: 0, pageSize: 0, sort: [] })
  const lastView = useRef(viewKey)
  useEffect(() => {
    if (lastView.current !== viewKey) {
      lastView.current = viewKey
      setSelection(new Map())
      setWholeView(null)
    }
  }, [viewKey])

  useEffect(() => {
    rememberFindingsView(`${pathname}${window.location.search}`)
  })

  // The Columns menu closes like any menu: Escape, or a click anywhere else.
  useEffect(() => {
    if (!columnsOpen) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setColumnsOpen(false)
      columnsRef.current?.querySelector('summary')?.focus()
    }
    const onPointer = (event: PointerEvent) => {
      if (!columnsRef.current?.contains(event.target as Node)) setColumnsOpen(false)
    }
    document.addEventListener('keydown', onKey)
    document.addEventListener('pointerdown', onPointer)
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('pointerdown', onPointer)
    }
  }, [columnsOpen])

  const navigate = (changes: Partial<SerializedFindingsQuery>, hide: string[] = hidden) => {
    const next = { ...query, ...changes }
    const params = findingsQueryToParams({ ...next, from: next.from ? new Date(next.from) : null, to: next.to ? new Date(next.to) : null })
    if (hide.join(',') !== defaultHidden.join(',')) params.set('hide', hide.join(','))
    startTransition(() => router.push(`${pathname}?${params.toString()}`, { scroll: false }))
  }

  const isDefaultSort = JSON.stringify(query.sort) === JSON.stringify(DEFAULT_SORT)
  const sortBy = (columnId: string, descFirst: boolean, multi: boolean) =>
    navigate({ sort: nextSort(query.sort, isDefaultSort, columnId as SortSpec['id'], descFirst, multi), page: 1 })

  const table = useTable({
    features: findingsFeatures,
    columns: findingsColumns,
    data: rows,
    getRowId: (row) => String(row.id),
    state: { sorting, pagination, columnVisibility, rowSelection },
    enableRowSelection: Boolean(triage),
    onRowSelectionChange: (updater) => {
      const next = resolve(updater, rowSelection)
      // Unticking a row of a whole-view selection leaves this page's ticked rows selected by id.
      const fromView = wholeView !== null
      setWholeView(null)
      setSelection((old) => {
        const changed = fromView ? new Map<number, boolean>() : new Map(old)
        for (const row of rows) {
          if (next[String(row.id)]) changed.set(row.id, isHigh(row))
          else changed.delete(row.id)
        }
        return changed
      })
    },
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

  const selectAllMatching = () => {
    const params = findingsQueryToParams({ ...query, from: query.from ? new Date(query.from) : null, to: query.to ? new Date(query.to) : null, page: 1 })
    setWholeView({ view: params.toString(), total })
  }

  const undoChange = async () => {
    if (!undo) return
    setUndo({ ...undo, state: 'busy' })
    const result = await sendJson('POST', '/api/findings/triage/undo', { batch: undo.batch })
    if (!result.ok) return setUndo({ ...undo, state: 'failed', result: `Could not undo: ${result.error}` })
    const { restored, kept } = result.data as { restored: number; kept: number }
    setUndo({
      ...undo,
      state: 'done',
      result: `Undone: ${formatNumber(restored)} ${restored === 1 ? 'finding has' : 'findings have'} their previous value back${kept ? `; ${formatNumber(kept)} changed since keep their newer value` : ''}.`,
    })
    router.refresh()
  }

  const pageCount = Math.max(1, Math.ceil(total / query.pageSize))
  const firstRow = total === 0 ? 0 : (query.page - 1) * query.pageSize + 1
  const lastRow = Math.min(total, query.page * query.pageSize)
  const allOnPage = rows.length > 0 && (wholeView !== null || rows.every((row) => selection.has(row.id)))
  const offPage = wholeView ? wholeView.total - rows.length : [...selection.keys()].filter((id) => !rows.some((row) => row.id === id)).length
  const selectedCount = wholeView ? wholeView.total : selection.size

  return (
    <div aria-busy={pending}>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <span className="muted" role="status">
          {pending ? 'Loading…' : `${formatNumber(firstRow)}–${formatNumber(lastRow)} of ${formatNumber(total)} findings`}
        </span>
        <details className="columns-menu" ref={columnsRef} open={columnsOpen}>
          <summary
            onClick={(event) => {
              event.preventDefault()
              setColumnsOpen(!columnsOpen)
            }}
            aria-expanded={columnsOpen}
          >
            Columns
          </summary>
          <div role="group" aria-label="Columns shown">
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
      {triage && allOnPage && total > rows.length && !wholeView && (
        <div className="select-all-banner" data-testid="select-all-banner">
          <span>
            {offPage > 0 ? `${formatNumber(selection.size)} selected, ${formatNumber(offPage)} of them on other pages.` : `All ${formatNumber(rows.length)} on this page are selected.`}
          </span>
          <button type="button" onClick={selectAllMatching}>
            Select all {formatNumber(total)} matching this view
          </button>
        </div>
      )}
      {undo && (
        <div className="notice undo-banner" role="status" data-testid="undo-banner">
          {undo.state === 'done' || undo.state === 'failed' ? (
            <span>{undo.result}</span>
          ) : (
            <>
              <span>{undo.message}.</span>{' '}
              <button type="button" onClick={() => void undoChange()} disabled={undo.state === 'busy'}>
                {undo.state === 'busy' ? 'Undoing…' : 'Undo'}
              </button>
            </>
          )}{' '}
          <button type="button" onClick={() => setUndo(null)} aria-label="Dismiss this message">
            Dismiss
          </button>
        </div>
      )}
      {triage && selectedCount > 0 && (
        <BulkActions
          target={wholeView ? { kind: 'view', ...wholeView } : { kind: 'ids', ids: [...selection.keys()] }}
          offPage={offPage}
          assignees={triage.assignees}
          currentUserId={triage.currentUserId}
          canCloseHighAsFalsePositive={triage.canCloseHighAsFalsePositive}
          canApprove={reviewQueue && triage.canReview}
          selectionHasHigh={wholeView ? null : [...selection.values()].some(Boolean)}
          onDone={() => {
            setSelection(new Map())
            setWholeView(null)
          }}
          onChanged={(change) => setUndo({ ...change, state: 'ready' })}
        />
      )}
      <SortableTable
        table={table}
        testId="findings-table"
        label="Findings (scrolls sideways)"
        // The first row is the skip link's target: the next Tab reaches its checkbox or links.
        rowAttributes={(row): Record<string, string | number> => (row.id === rows[0]?.id ? { 'data-finding-id': row.id, id: 'first-finding', tabIndex: -1 } : { 'data-finding-id': row.id })}
        onSort={sortBy}
        stickyColumns={['select', 'verdict', 'ipAddress']}
        maxHeight="max(360px, calc(100vh - 120px))"
      />
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
