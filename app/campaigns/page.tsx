import { connection } from 'next/server'
import { requirePageRole } from '@/lib/http/page-guard'
import { CampaignsTable } from '@/components/campaigns/campaigns-table'
import { DatasetPicker } from '@/components/datasets/dataset-picker'
import { listCampaigns } from '@/lib/campaigns/list-campaigns'
import { datasetFilter } from '@/lib/datasets/dataset-filter'
import { listDatasetNames } from '@/lib/datasets/datasets'

export const metadata = { title: 'Campaigns' }

export default async function CampaignsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  await requirePageRole('viewer', '/campaigns')
  const datasetIds = datasetFilter(await searchParams)
  const [campaigns, datasets] = await Promise.all([listCampaigns(datasetIds), listDatasetNames()])
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Campaigns</h1>
          <p className="muted" style={{ margin: 0, maxWidth: '75ch' }}>
            One actor spread over many source IPs or user agents, which the reference rule misses because it counts per IP, client app,
            user agent and hour. Sources are grouped when they share a /24 (or /48) or an autonomous system with the same tool
            fingerprint, when one IP rotates user agents, or when their target lists overlap — each within the dataset&apos;s campaign
            gap. The tier is the rule&apos;s, applied to the campaign&apos;s combined distinct usernames.
          </p>
        </div>
        {datasets.length > 0 && <DatasetPicker datasets={datasets} selected={datasetIds?.[0] ?? null} />}
      </div>
      {campaigns.length === 0 ? (
        <div className="empty">
          <strong>No campaigns{datasetIds ? ' in this dataset' : ''}.</strong> No group of sources together reaches the rule&apos;s lowest threshold.
        </div>
      ) : (
        <CampaignsTable campaigns={campaigns} />
      )}
    </>
  )
}
