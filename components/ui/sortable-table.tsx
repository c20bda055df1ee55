'use client'

import { useLayoutEffect, useRef, useState, type CSSProperties } from 'react'
import { FlexRender, type Header, type Cell, type RowData, type TableFeatures, type ReactTable } from '@tanstack/react-table'
import './table-meta'
import { useServerRows } from './server-rows'

// The slice of a sortable header this renderer needs; every table here registers rowSortingFeature.
interface SortableColumn {
  id: string
  getIsSorted: () => false | 'asc' | 'desc'
  getSortIndex: () => number
  getCanSort: () => boolean
  getToggleSortingHandler: () => undefined | ((event: unknown) => void)
  getIsVisible?: () => boolean
  columnDef: { meta?: { numeric?: boolean }; sortDescFirst?: boolean }
}

interface Props<TFeatures extends TableFeatures, TData extends RowData> {
  table: ReactTable<TFeatures, TData>
  testId: string
  /** Extra attributes on each body row (e.g. an id for tests and links). */
  rowAttributes?: (row: TData) => Record<string, string | number>
  maxHeight?: number | string
  /** Sorting done elsewhere (the server): a header click reports the column instead of toggling it. */
  onSort?: (columnId: string, descFirst: boolean, multi: boolean) => void
  /** Columns kept in view while the table scrolls sideways, in their order from the left. */
  stickyColumns?: string[]
  /** What the scroll area holds, for keyboard and screen-reader users. */
  label?: string
}

/**
 * Renders any of our TanStack tables: sortable headers as buttons (shift-click adds a column to
 * the sort; aria-sort tells screen readers), numeric columns aligned right. A table taller or
 * wider than its box scrolls inside it, so its horizontal scrollbar stays on screen; the box can
 * take focus, so the keyboard scrolls it too.
 */
export function SortableTable<TFeatures extends TableFeatures, TData extends RowData>({ table, testId, rowAttributes, maxHeight, onSort, stickyColumns = [], label }: Props<TFeatures, TData>) {
  // The server renders the first rows only; the browser draws the rest after hydration.
  const rows = useServerRows(table.getRowModel().rows)
  const multi = table.getHeaderGroups().some((g) => g.headers.filter((h) => (h.column as unknown as SortableColumn).getIsSorted()).length > 1)
  const tableRef = useRef<HTMLTableElement>(null)
  const [offsets, setOffsets] = useState<Record<string, number>>({})

  // Sticky columns sit at the summed widths of the sticky columns left of them.
  useLayoutEffect(() => {
    if (!stickyColumns.length || !tableRef.current) return
    const measure = () => {
      const next: Record<string, number> = {}
      let left = 0
      for (const id of stickyColumns) {
        const th = tableRef.current?.querySelector<HTMLElement>(`thead th[data-column="${id}"]`)
        if (!th) continue
        next[id] = left
        left += th.getBoundingClientRect().width
      }
      setOffsets((old) => (JSON.stringify(old) === JSON.stringify(next) ? old : next))
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(tableRef.current)
    return () => observer.disconnect()
  })

  const sticky = (id: string): { className?: string; style?: CSSProperties } =>
    id in offsets ? { className: `sticky${id === stickyColumns[stickyColumns.length - 1] ? ' sticky-last' : ''}`, style: { left: offsets[id] } } : {}
  const classes = (...names: (string | undefined | false)[]) => names.filter(Boolean).join(' ') || undefined

  return (
    <div
      className={classes('table-scroll', maxHeight !== undefined && 'bounded')}
      style={maxHeight !== undefined ? { maxHeight, overflow: 'auto' } : undefined}
      tabIndex={0}
      role="region"
      aria-label={label ?? 'Table'}
    >
      <table className="data" data-testid={testId} ref={tableRef}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const column = header.column as unknown as SortableColumn
                const sorted = column.getIsSorted()
                const place = sticky(column.id)
                return (
                  <th
                    key={header.id}
                    className={classes(column.columnDef.meta?.numeric && 'num', place.className)}
                    style={place.style}
                    data-column={column.id}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {column.getCanSort() ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={
                          onSort
                            ? (event) => onSort(column.id, column.columnDef.sortDescFirst ?? Boolean(column.columnDef.meta?.numeric), event.shiftKey)
                            : column.getToggleSortingHandler()
                        }
                        title="Sort (shift-click to sort by several columns)"
                        data-column={column.id}
                      >
                        <FlexRender header={header as Header<TFeatures, TData, unknown>} />
                        <span aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
                        {sorted && multi ? <span className="sort-index">{column.getSortIndex() + 1}</span> : null}
                      </button>
                    ) : (
                      <FlexRender header={header as Header<TFeatures, TData, unknown>} />
                    )}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} {...(rowAttributes ? rowAttributes(row.original) : {})}>
              {row
                .getAllCells()
                .filter((cell) => (cell.column as unknown as SortableColumn).getIsVisible?.() ?? true)
                .map((cell) => {
                  const place = sticky(cell.column.id)
                  return (
                    <td key={cell.id} className={classes((cell.column as unknown as SortableColumn).columnDef.meta?.numeric && 'num', place.className)} style={place.style} data-column={cell.column.id}>
                      <FlexRender cell={cell as Cell<TFeatures, TData, unknown>} />
                    </td>
                  )
                })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
