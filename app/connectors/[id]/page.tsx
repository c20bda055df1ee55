import Link from 'next/link'
import { notFound } from 'next/navigation'
import { connection } from 'next/server'
import { ConnectorForm } from '@/components/connectors/connector-form'
import { ConnectorRuns } from '@/components/connectors/connector-runs'
import { formatUtc } from '@/components/ui/format'
import { CONNECTOR_LABELS } from '@/lib/connectors/connector-settings'
import { listConnectorRuns } from '@/lib/connectors/connector-runs'
import { getConnector } from '@/lib/connectors/connector-store'
import { listDatasetNames } from '@/lib/datasets/datasets'
import { requirePageRole } from '@/lib/http/page-guard'
import { parseId } from '@/lib/http/responses'

export const metadata = { title: 'Connector' }

export default async function ConnectorPage({ params }: { params: Promise<{ id: string }> }) {
  await connection()
  await requirePageRole('admin', `/connectors/${(await params).id}`)
  const id = parseId((await params).id)
  if (id === null) notFound()
  const connector = await getConnector(id)
  if (!connector) notFound()
  const [runs, datasets] = await Promise.all([listConnectorRuns(id), listDatasetNames()])
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
        <ConnectorRuns connectorId={connector.id} runs={runs} running={connector.running} enabled={connector.enabled} />
      </div>
    </>
  )
}
