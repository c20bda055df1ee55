'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import { CONNECTOR_KINDS, CONNECTOR_LABELS, type ConnectorKind } from '@/lib/connectors/connector-settings'
import type { ConnectorSummary } from '@/lib/connectors/connector-store'

const FIELDS: Record<ConnectorKind, { name: string; label: string; placeholder: string; optional?: boolean }[]> = {
  graph: [
    { name: 'tenantId', label: 'Tenant (id or domain)', placeholder: 'contoso.onmicrosoft.com' },
    { name: 'clientId', label: 'Application (client) id', placeholder: '00000000-0000-0000-0000-000000000000' },
    { name: 'authorityUrl', label: 'Sign-in endpoint', placeholder: 'https://login.microsoftonline.com', optional: true },
    { name: 'graphUrl', label: 'Graph endpoint', placeholder: 'https://graph.microsoft.com', optional: true },
  ],
  log_analytics: [
    { name: 'tenantId', label: 'Tenant (id or domain)', placeholder: 'contoso.onmicrosoft.com' },
    { name: 'clientId', label: 'Application (client) id', placeholder: '00000000-0000-0000-0000-000000000000' },
    { name: 'workspaceId', label: 'Workspace id', placeholder: '00000000-0000-0000-0000-000000000000' },
    { name: 'authorityUrl', label: 'Sign-in endpoint', placeholder: 'https://login.microsoftonline.com', optional: true },
    { name: 'apiUrl', label: 'Log Analytics endpoint', placeholder: 'https://api.loganalytics.azure.com', optional: true },
  ],
  logscale: [
    { name: 'baseUrl', label: 'LogScale URL', placeholder: 'https://cloud.community.humio.com' },
    { name: 'repository', label: 'Repository', placeholder: 'azure_ad' },
  ],
}

const SECRET_LABEL: Record<ConnectorKind, string> = { graph: 'Client secret', log_analytics: 'Client secret', logscale: 'API token' }

/** Create or edit a connector; the secret is write-only (never shown, empty keeps it). */
export function ConnectorForm({ connector, datasets }: { connector: ConnectorSummary | null; datasets: string[] }) {
  const router = useRouter()
  const [kind, setKind] = useState<ConnectorKind>(connector?.kind ?? 'graph')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const [busy, setBusy] = useState(false)

  const collect = (form: HTMLFormElement) => {
    const data = new FormData(form)
    const settings: Record<string, string> = {}
    for (const field of FIELDS[kind]) {
      const value = String(data.get(field.name) ?? '').trim()
      if (value) settings[field.name] = value
    }
    const schedule = String(data.get('scheduleMinutes') ?? '')
    return {
      name: String(data.get('name') ?? ''),
      kind,
      dataset: String(data.get('dataset') ?? ''),
      settings,
      secret: String(data.get('secret') ?? '') || undefined,
      enabled: data.get('enabled') === 'on',
      scheduleMinutes: schedule ? Number(schedule) : null,
      sliceMinutes: Number(data.get('sliceMinutes') ?? 60),
      initialLookbackHours: Number(data.get('initialLookbackHours') ?? 168),
    }
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setBusy(true)
    const body = collect(event.currentTarget)
    const result = connector ? await sendJson('PUT', `/api/connectors/${connector.id}`, body) : await sendJson('POST', '/api/connectors', body)
    setBusy(false)
    if (!result.ok) return setMessage({ ok: false, text: result.error })
    setMessage({ ok: true, text: 'saved' })
    if (!connector) router.push(`/connectors/${(result.data as ConnectorSummary).id}`)
    else router.refresh()
  }

  const test = async (form: HTMLFormElement | null) => {
    if (!form) return
    setBusy(true)
    const body = collect(form)
    const result = await sendJson('POST', '/api/connectors/test', { kind: body.kind, settings: body.settings, secret: body.secret, connectorId: connector?.id })
    setBusy(false)
    if (!result.ok) return setMessage({ ok: false, text: result.error })
    const outcome = result.data as { ok: boolean; message: string }
    setMessage({ ok: outcome.ok, text: outcome.message })
  }

  return (
    <form onSubmit={submit} className="panel form-grid" style={{ maxWidth: 760 }} aria-label={connector ? 'Connector settings' : 'New connector'} data-testid="connector-form">
      <div className="toolbar" style={{ margin: 0 }}>
        <label>
          Name
          <input type="text" name="name" required defaultValue={connector?.name} />
        </label>
        <label>
          Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ConnectorKind)} disabled={connector !== null}>
            {CONNECTOR_KINDS.map((k) => (
              <option key={k} value={k}>
                {CONNECTOR_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Into dataset
          <input type="text" name="dataset" list="connector-datasets" required defaultValue={connector?.datasetName} />
          <datalist id="connector-datasets">
            {datasets.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </label>
      </div>
      <div className="toolbar" style={{ margin: 0 }}>
        {FIELDS[kind].map((field) => (
          <label key={`${kind}-${field.name}`}>
            {field.label}
            {field.optional ? ' (optional)' : ''}
            <input type="text" name={field.name} required={!field.optional} placeholder={field.placeholder} defaultValue={connector?.settings[field.name]} />
          </label>
        ))}
        <label>
          {SECRET_LABEL[kind]}
          <input type="password" name="secret" autoComplete="off" required={connector === null} placeholder={connector?.hasSecret ? 'stored — leave empty to keep' : ''} />
        </label>
      </div>
      <div className="toolbar" style={{ margin: 0 }}>
        <label>
          Run every (minutes; empty: by hand)
          <input type="text" inputMode="numeric" name="scheduleMinutes" defaultValue={connector?.scheduleMinutes ?? ''} />
        </label>
        <label>
          Slice (minutes)
          <input type="text" inputMode="numeric" name="sliceMinutes" defaultValue={connector?.sliceMinutes ?? 60} />
        </label>
        <label>
          First pull reaches back (hours)
          <input type="text" inputMode="numeric" name="initialLookbackHours" defaultValue={connector?.initialLookbackHours ?? 168} />
        </label>
        <label style={{ flexDirection: 'row', alignItems: 'center', gap: 6 }}>
          <input type="checkbox" name="enabled" defaultChecked={connector?.enabled ?? true} /> enabled
        </label>
      </div>
      {message && (
        <p className={message.ok ? 'notice' : 'error-box'} role="status" data-testid="connector-message">
          {message.text}
        </p>
      )}
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="submit" className="primary" disabled={busy}>
          {connector ? 'Save' : 'Create connector'}
        </button>
        <button type="button" disabled={busy} onClick={(e) => test((e.currentTarget as HTMLButtonElement).form)}>
          Test connection
        </button>
      </div>
    </form>
  )
}
