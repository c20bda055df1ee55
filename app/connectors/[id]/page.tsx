import Link from 'next/link'
import { notFound } from 'next/navigation'
import { connection } from 'next/server'
import { BackfillForm } from '@/components/connectors/backfill-form'
import { ConnectorForm } from '@/components/connectors/connector-form'
import { ConnectorRuns } from '@/components/connectors/connector-runs'
import { formatUtc } from '@/components/ui/format'
import { retentionNote } from '@/lib/connectors/backfill'
import { CONNECTOR_LABELS } from '@/lib/connectors/connector-settings'
import { listConnectorRuns } from '@/lib/connectors/connector-runs'
import { getConnector } from '@/lib/connectors/connector-store'
import { listDatasetNames } from '@/lib/datasets/datasets'
import { requirePageRole } from '@/lib/http/page-guard'
import { parseId } from '@/lib/http/responses'

export const metadata = { title: 'Connector' }

export default async function ConnectorPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection()
  await requirePageRole('admin', `/connectors/${(await params).id}`)
  const id = parseId((await params).id)
  if (id === null) notFound()
  const connector = await getConnector(id)
  if (!connector) notFound()
  const runsParam = (await searchParams).runs
  const runsPage = typeof runsParam === 'string' ? (parseId(runsParam) ?? 1) : 1
  const [runPage, datasets] = await Promise.all([listConnectorRuns(id, { page: runsPage }), listDatasetNames()])
  return (
    <>
      <div className="breadcrumbs">
        <Link href="/connectors">Connectors</Link> › {connector.name}
      </div>
      <h1>{connector.name}</h1>
      <p className="muted">
        {CONNECTOR_LABELS[connector.kind]} into <Link href={`/datasets/${connector.datasetId}`}>{connector.datasetName}</Link> · fetched up to{' '}
        {connector.watermark ? formatUtc(connector.watermark, 'minute') : 'nothing yet'}
        {connector.lastError && <span className="error-box"> last error: {connector.lastError}</span>}
      </p>
      <ConnectorForm connector={connector} datasets={datasets.map((d) => d.name)} />
      <div style={{ marginTop: 16 }}>
        <BackfillForm connectorId={connector.id} retention={retentionNote(connector.kind)} enabled={connector.enabled} />
      </div>
      <div style={{ marginTop: 16 }}>
        <ConnectorRuns connectorId={connector.id} runPage={runPage} running={connector.running} enabled={connector.enabled} />
      </div>
    </>
  )
}
