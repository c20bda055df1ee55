import type { CellData, RowData, TableFeatures } from '@tanstack/react-table'

// Column definitions may say how their cells align; the table renderers read it.
declare module '@tanstack/table-core' {
  interface ColumnMeta<in out TFeatures extends TableFeatures, in out TData extends RowData, TValue extends CellData = CellData> {
    numeric?: boolean
  }
}

export {}
