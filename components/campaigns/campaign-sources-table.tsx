'use client'

import { useMemo, useState } from 'react'
import { useTable, type SortingState } from '@tanstack/react-table'
import type { CampaignSource } from '@/lib/campaigns/campaign-types'
import { SortableTable } from '@/components/ui/sortable-table'
import { campaignSourcesColumns, campaignSourcesFeatures } from './campaign-sources-columns'

/** Every (IP, client app, user agent) of a campaign, earliest first; each IP links to its page. */
export function CampaignSourcesTable({ sources, datasetId }: { sources: CampaignSource[]; datasetId: number }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'firstSeen', desc: false }])
  const columns = useMemo(() => campaignSourcesColumns(datasetId), [datasetId])
  const table = useTable({ features: campaignSourcesFeatures, columns, data: sources, state: { sorting }, onSortingChange: setSorting, enableMultiSort: true })
  return <SortableTable table={table} testId="campaign-sources-table" maxHeight={420} />
}
