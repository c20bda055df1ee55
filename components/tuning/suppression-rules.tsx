'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import { formatUtc } from '@/components/ui/format'
import type { SuppressionRuleSummary } from '@/lib/tuning/suppressions'

interface Template {
  id: string
  name: string
  description: string
  fields: Record<string, unknown>
}

/** Suppression rules: known-benign sources, each with a reason, an owner and (ideally) an expiry. */
export function SuppressionRules({ rules, templates, datasetId, canEdit }: { rules: SuppressionRuleSummary[]; templates: Template[]; datasetId: number | null; canEdit: boolean }) {
  const router = useRouter()
  const [draft, setDraft] = useState<Record<string, unknown> | null>(null)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const text = (name: string) => String(data.get(name) ?? '').trim() || null
    const expires = text('expiresAt')
    const result = await sendJson('POST', '/api/suppressions', {
      name: text('name'),
      datasetId: data.get('scope') === 'dataset' ? datasetId : null,
      cidr: text('cidr'),
      upnPattern: text('upnPattern'),
      userAgentPattern: text('userAgentPattern'),
      appName: text('appName'),
      reason: text('reason'),
      expiresAt: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : null,
      template: (draft?.template as string) ?? null,
    })
    if (!result.ok) return setError(result.error)
    setError(null)
    setDraft(null)
    router.refresh()
  }
  const toggle = async (rule: SuppressionRuleSummary) => {
    const result = await sendJson('PUT', `/api/suppressions/${rule.id}`, { ...rule, enabled: !rule.enabled })
    if (!result.ok) return setError(result.error)
    router.refresh()
  }
  const remove = async (rule: SuppressionRuleSummary) => {
    const result = await sendJson('DELETE', `/api/suppressions/${rule.id}`)
    if (!result.ok) return setError(result.error)
    router.refresh()
  }

  return (
    <section className="panel" aria-label="Suppression rules" data-testid="suppressions">
      <h2 style={{ marginTop: 0 }}>Suppression rules</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        A finding matching every criterion a rule sets (source in the range, user agent and app like the pattern, every username like the UPN pattern; * matches
        anything) is suppressed: hidden from the default view, still listed under “Suppressed”. Rules expire; changes are audited.
      </p>
      {rules.length > 0 && (
        <table className="data" data-testid="suppression-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Matches</th>
              <th>Reason</th>
              <th>Owner</th>
              <th>Expires</th>
              <th className="num">Suppressing</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-rule={r.name}>
                <td>
                  {r.name} {r.datasetId === null && <span className="muted">(all datasets)</span>}
                </td>
                <td className="mono" style={{ wordBreak: 'break-all' }}>
                  {[r.cidr && `IP in ${r.cidr}`, r.userAgentPattern && `UA like ${r.userAgentPattern}`, r.appName && `app ${r.appName}`, r.upnPattern && `users like ${r.upnPattern}`].filter(Boolean).join(' · ')}
                </td>
                <td>{r.reason}</td>
                <td>{r.ownerEmail ?? '—'}</td>
                <td>{r.expiresAt ? <span className={r.expired ? 'error-box' : undefined}>{formatUtc(r.expiresAt, 'minute')}</span> : 'never'}</td>
                <td className="num">{r.suppressedFindings}</td>
                <td className="nowrap">
                  {canEdit && (
                    <>
                      <button type="button" onClick={() => toggle(r)}>
                        {r.enabled ? 'Disable' : 'Enable'}
                      </button>{' '}
                      <button type="button" onClick={() => remove(r)}>
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && !draft && (
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 12 }}>
          <button type="button" onClick={() => setDraft({})}>
            New rule
          </button>
          {templates.map((t) => (
            <button key={t.id} type="button" onClick={() => setDraft({ ...t.fields, template: t.id })} title={t.description} data-template={t.id}>
              From template: {t.name}
            </button>
          ))}
        </div>
      )}
      {draft && (
        <form onSubmit={submit} className="form-grid" style={{ marginTop: 12 }} aria-label="New suppression rule" data-testid="suppression-form">
          {typeof draft.template === 'string' && <p className="notice">{templates.find((t) => t.id === draft.template)?.description}</p>}
          <div className="toolbar" style={{ margin: 0 }}>
            <label>
              Name
              <input type="text" name="name" required defaultValue={String(draft.name ?? '')} />
            </label>
            <label>
              Source range (CIDR)
              <input type="text" name="cidr" placeholder="198.51.100.20/32" defaultValue={String(draft.cidr ?? '')} />
            </label>
            <label>
              User agent like
              <input type="text" name="userAgentPattern" placeholder="*AzureADConnect*" defaultValue={String(draft.userAgentPattern ?? '')} />
            </label>
            <label>
              App
              <input type="text" name="appName" defaultValue={String(draft.appName ?? '')} />
            </label>
            <label>
              Every username like
              <input type="text" name="upnPattern" placeholder="svc-*@contoso.com" defaultValue={String(draft.upnPattern ?? '')} />
            </label>
            <label>
              Expires (UTC date)
              <input type="date" name="expiresAt" />
            </label>
            <label>
              Applies to
              <select name="scope" defaultValue={datasetId ? 'dataset' : 'all'}>
                {datasetId && <option value="dataset">this dataset</option>}
                <option value="all">all datasets</option>
              </select>
            </label>
          </div>
          <label>
            Reason
            <input type="text" name="reason" required defaultValue={String(draft.reason ?? '')} />
          </label>
          <div style={{ display: 'flex', gap: 8 }}>
            <button type="submit" className="primary">
              Create rule
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
