'use client'

import { useState } from 'react'
import { useTable, type SortingState } from '@tanstack/react-table'
import type { CampaignSummary } from '@/lib/campaigns/campaign-types'
import { SortableTable } from '@/components/ui/sortable-table'
import { campaignsColumns, campaignsFeatures } from './campaigns-columns'

/** The campaigns list; the tier badge links to the campaign. */
export function CampaignsTable({ campaigns }: { campaigns: CampaignSummary[] }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'uniqueUsernames', desc: true }])
  const table = useTable({ features: campaignsFeatures, columns: campaignsColumns, data: campaigns, state: { sorting }, onSortingChange: setSorting, enableMultiSort: true })
  return <SortableTable table={table} testId="campaigns-table" rowAttributes={(c) => ({ 'data-campaign-id': c.id })} />
}
