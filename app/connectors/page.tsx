import Link from 'next/link'
import { connection } from 'next/server'
import { ConnectorForm } from '@/components/connectors/connector-form'
import { formatUtc } from '@/components/ui/format'
import { CONNECTOR_LABELS } from '@/lib/connectors/connector-settings'
import { listConnectors } from '@/lib/connectors/connector-store'
import { listDatasetNames } from '@/lib/datasets/datasets'
import { requirePageRole } from '@/lib/http/page-guard'

export const metadata = { title: 'Connectors' }

export default async function ConnectorsPage() {
  await connection()
  await requirePageRole('admin', '/connectors')
  const [connectors, datasets] = await Promise.all([listConnectors(), listDatasetNames()])
  return (
    <>
      <h1>Connectors</h1>
      <p className="muted">Pull sign-in logs straight from Microsoft Graph, Log Analytics or LogScale, by hand or on a schedule, resuming where the last pull stopped.</p>
      {connectors.length > 0 && (
        <div className="table-scroll" style={{ marginBottom: 16 }}>
          <table className="data" data-testid="connectors-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Source</th>
                <th>Dataset</th>
                <th>Schedule</th>
                <th>Fetched up to</th>
                <th>Last run</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {connectors.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/connectors/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{CONNECTOR_LABELS[c.kind]}</td>
                  <td>{c.datasetName}</td>
                  <td>{c.scheduleMinutes ? `every ${c.scheduleMinutes} min` : 'by hand'}</td>
                  <td>{c.watermark ? formatUtc(c.watermark, 'minute') : '—'}</td>
                  <td>{c.lastRunAt ? formatUtc(c.lastRunAt, 'minute') : 'never'}</td>
                  <td>{c.running ? 'running' : c.lastError ? <span className="error-box">{c.lastError}</span> : c.enabled ? 'ok' : 'disabled'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConnectorForm connector={null} datasets={datasets.map((d) => d.name)} />
    </>
  )
}
