'use client'

import { useState } from 'react'
import { useTable, type SortingState } from '@tanstack/react-table'
import type { FindingUsername } from '@/lib/findings/finding-details'
import { SortableTable } from '@/components/ui/sortable-table'
import { usernamesColumns, usernamesFeatures } from './usernames-columns'

/** Sorted in the browser: a finding's usernames are at most a few thousand rows. */
export function UsernamesTable({ usernames }: { usernames: FindingUsername[] }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'firstAttempt', desc: false }])
  const table = useTable({
    features: usernamesFeatures,
    columns: usernamesColumns,
    data: usernames,
    state: { sorting },
    onSortingChange: setSorting,
    enableMultiSort: true,
    getRowId: (row) => row.userPrincipalName,
  })
  return <SortableTable table={table} testId="usernames-table" maxHeight={480} rowAttributes={(row) => ({ 'data-username': row.userPrincipalName })} />
}
