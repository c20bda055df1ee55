'use client'

import { useState } from 'react'
import { useTable, type SortingState } from '@tanstack/react-table'
import type { IpBucket } from '@/lib/ips/get-ip-activity'
import { SortableTable } from '@/components/ui/sortable-table'
import { ipBucketsColumns, ipBucketsFeatures } from './ip-buckets-columns'

/** Every hour of one IP with the rule's codes, findings and sub-threshold hours alike. */
export function IpBucketsTable({ buckets }: { buckets: IpBucket[] }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'bucket', desc: false }])
  const table = useTable({ features: ipBucketsFeatures, columns: ipBucketsColumns, data: buckets, state: { sorting }, onSortingChange: setSorting, enableMultiSort: true })
  return <SortableTable table={table} testId="ip-buckets-table" maxHeight={420} />
}
