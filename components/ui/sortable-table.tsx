'use client'

import { FlexRender, type Header, type Cell, type RowData, type TableFeatures, type ReactTable } from '@tanstack/react-table'
import './table-meta'

// The slice of a sortable header this renderer needs; every table here registers rowSortingFeature.
interface SortableColumn {
  id: string
  getIsSorted: () => false | 'asc' | 'desc'
  getSortIndex: () => number
  getCanSort: () => boolean
  getToggleSortingHandler: () => undefined | ((event: unknown) => void)
  getIsVisible?: () => boolean
  columnDef: { meta?: { numeric?: boolean } }
}

interface Props<TFeatures extends TableFeatures, TData extends RowData> {
  table: ReactTable<TFeatures, TData>
  testId: string
  /** Extra attributes on each body row (e.g. an id for tests and links). */
  rowAttributes?: (row: TData) => Record<string, string | number>
  maxHeight?: number
}

/**
 * Renders any of our TanStack tables: sortable headers as buttons (shift-click adds a column to
 * the sort; aria-sort tells screen readers), numeric columns aligned right.
 */
export function SortableTable<TFeatures extends TableFeatures, TData extends RowData>({ table, testId, rowAttributes, maxHeight }: Props<TFeatures, TData>) {
  const multi = table.getHeaderGroups().some((g) => g.headers.filter((h) => (h.column as unknown as SortableColumn).getIsSorted()).length > 1)
  return (
    <div className="table-scroll" style={maxHeight ? { maxHeight, overflowY: 'auto' } : undefined}>
      <table className="data" data-testid={testId}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const column = header.column as unknown as SortableColumn
                const sorted = column.getIsSorted()
                return (
                  <th
                    key={header.id}
                    className={column.columnDef.meta?.numeric ? 'num' : undefined}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {column.getCanSort() ? (
                      <button type="button" className="sort-button" onClick={column.getToggleSortingHandler()} title="Sort (shift-click to sort by several columns)" data-column={column.id}>
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
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} {...(rowAttributes ? rowAttributes(row.original) : {})}>
              {row
                .getAllCells()
                .filter((cell) => (cell.column as unknown as SortableColumn).getIsVisible?.() ?? true)
                .map((cell) => (
                  <td key={cell.id} className={(cell.column as unknown as SortableColumn).columnDef.meta?.numeric ? 'num' : undefined} data-column={cell.column.id}>
                    <FlexRender cell={cell as Cell<TFeatures, TData, unknown>} />
                  </td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
