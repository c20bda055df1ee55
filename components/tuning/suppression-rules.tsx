'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { formatNumber, formatUtc } from '@/components/ui/format'
import type { SuppressionRuleSummary, SuppressionTemplate } from '@/lib/tuning/suppressions'
import type { SuppressionPreview } from '@/lib/tuning/suppression-preview'
import { VerdictBadge } from '@/components/ui/verdict-badge'

/** A rule being written: a new one (blank or from a template) or an existing one being changed. */
interface Draft {
  rule: SuppressionRuleSummary | null
  template: string | null
  fields: Record<string, unknown>
}

/** Suppression rules: known-benign sources, each with a reason, an owner and (ideally) an expiry. */
export function SuppressionRules({ rules, templates, datasetId, canEdit }: { rules: SuppressionRuleSummary[]; templates: SuppressionTemplate[]; datasetId: number | null; canEdit: boolean }) {
  const router = useRouter()
  const [draft, setDraft] = useState<Draft | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<SuppressionRuleSummary | null>(null)
  const [deleteBusy, setDeleteBusy] = useState(false)
  const [deleteError, setDeleteError] = useState<string | null>(null)

  const toggle = async (rule: SuppressionRuleSummary) => {
    const result = await sendJson('PUT', `/api/suppressions/${rule.id}`, { ...rule, enabled: !rule.enabled })
    if (!result.ok) return setError(result.error)
    setError(null)
    router.refresh()
  }
  const edit = (rule: SuppressionRuleSummary) => {
    setError(null)
    setDraft({ rule, template: rule.template, fields: { ...rule } })
  }
  const askDelete = (rule: SuppressionRuleSummary) => {
    setDeleteError(null)
    setDeleting(rule)
  }
  const remove = async () => {
    if (!deleting) return
    setDeleteBusy(true)
    const result = await sendJson('DELETE', `/api/suppressions/${deleting.id}`)
    setDeleteBusy(false)
    if (!result.ok) return setDeleteError(result.error)
    if (draft?.rule?.id === deleting.id) setDraft(null)
    setDeleting(null)
    router.refresh()
  }
  const saved = () => {
    setError(null)
    setDraft(null)
    router.refresh()
  }

  return (
    <section className="panel" aria-label="Suppression rules" data-testid="suppressions">
      <h2 style={{ marginTop: 0 }}>Suppression rules</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        A finding matching every criterion a rule sets (source in the range, user agent and app like the pattern, every username like the UPN pattern; * matches
        anything) is suppressed: hidden from the default view, still listed under “Suppressed”. A rule covers the findings that ended by its expiry (the engagement it was made for), none that reach past it; changes are audited.
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
              <tr key={r.id} data-rule={r.name} data-enabled={r.enabled}>
                <td>
                  {r.name} {r.datasetId === null && <span className="muted">(all datasets)</span>} {!r.enabled && <span className="muted">(disabled)</span>}
                </td>
                <td className="mono" style={{ wordBreak: 'break-all' }}>
                  {[r.cidr && `IP in ${r.cidr}`, r.userAgentPattern && `UA like ${r.userAgentPattern}`, r.appName && `app ${r.appName}`, r.upnPattern && `users like ${r.upnPattern}`].filter(Boolean).join(' · ')}
                </td>
                <td data-column="reason">{r.reason}</td>
                <td>{r.ownerEmail ?? '—'}</td>
                <td data-column="expires">{r.expiresAt ? <span className={r.expired ? 'error-box' : undefined}>{formatUtc(r.expiresAt, 'minute')}</span> : 'never'}</td>
                <td className="num">{r.suppressedFindings}</td>
                <td className="nowrap">
                  {canEdit && (
                    <>
                      <button type="button" onClick={() => toggle(r)} aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.name}`}>
                        {r.enabled ? 'Disable' : 'Enable'}
                      </button>{' '}
                      <button type="button" onClick={() => edit(r)} aria-label={`Edit ${r.name}`}>
                        Edit
                      </button>{' '}
                      <button type="button" onClick={() => askDelete(r)} aria-label={`Delete ${r.name}`}>
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
          <button type="button" onClick={() => setDraft({ rule: null, template: null, fields: {} })}>
            New rule
          </button>
          {templates.map((t) => (
            <button key={t.id} type="button" onClick={() => setDraft({ rule: null, template: t.id, fields: { ...t.fields } })} title={t.description} data-template={t.id}>
              From template: {t.name}
            </button>
          ))}
        </div>
      )}
      {draft && (
        <SuppressionForm
          key={draft.rule ? `rule-${draft.rule.id}` : `new-${draft.template ?? ''}`}
          draft={draft}
          template={templates.find((t) => t.id === draft.template) ?? null}
          datasetId={datasetId}
          onSaved={saved}
          onError={setError}
          onCancel={() => {
            setError(null)
            setDraft(null)
          }}
        />
      )}
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
      {deleting && (
        <ConfirmDialog
          title={<>Delete the suppression rule “{deleting.name}”?</>}
          confirmLabel="Delete rule"
          busyLabel="Deleting…"
          busy={deleteBusy}
          error={deleteError}
          onConfirm={remove}
          onCancel={() => setDeleting(null)}
          testId="delete-suppression-dialog"
        >
          <p>
            {deleting.suppressedFindings > 0
              ? `It suppresses ${formatNumber(deleting.suppressedFindings)} ${deleting.suppressedFindings === 1 ? 'finding' : 'findings'} right now: they return to the default findings view at once.`
              : 'It suppresses no findings right now.'}
          </p>
          <p className="muted">The deletion is audited. To keep the rule but stop it applying, disable it instead.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

/** The date part of an ISO instant, as an <input type="date"> wants it. */
function dateOf(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 10) : ''
}

/** Creates a rule, or changes one in place (PUT) keeping its owner, its template and whether it is enabled. */
function SuppressionForm({
  draft,
  template,
  datasetId,
  onSaved,
  onError,
  onCancel,
}: {
  draft: Draft
  template: SuppressionTemplate | null
  datasetId: number | null
  onSaved: () => void
  onError: (message: string) => void
  onCancel: () => void
}) {
  const [busy, setBusy] = useState(false)
  const [preview, setPreview] = useState<{ criteria: string; result: SuppressionPreview } | null>(null)
  const [previewError, setPreviewError] = useState<string | null>(null)
  const [acknowledged, setAcknowledged] = useState(false)
  const { rule, fields } = draft
  const expiryRequired = template?.requiresExpiry ?? false
  const originalDate = dateOf(rule?.expiresAt)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const text = (name: string) => String(data.get(name) ?? '').trim() || null
    const expires = text('expiresAt')
    // The form edits dates; an unchanged date keeps the rule's exact instant rather than moving it to the end of that day.
    const expiresAt = !expires ? null : rule && expires === originalDate ? rule.expiresAt : new Date(`${expires}T23:59:59Z`).toISOString()
    const body = {
      name: text('name'),
      datasetId: data.get('scope') === 'dataset' ? (rule?.datasetId ?? datasetId) : null,
      cidr: text('cidr'),
      upnPattern: text('upnPattern'),
      userAgentPattern: text('userAgentPattern'),
      appName: text('appName'),
      reason: text('reason'),
      expiresAt,
      template: draft.template,
      ...(rule ? { ownerId: rule.ownerId, enabled: rule.enabled } : {}),
    }
    // Nothing is saved before the lead has seen what these criteria hide.
    const criteria = { datasetId: body.datasetId, cidr: body.cidr, upnPattern: body.upnPattern, userAgentPattern: body.userAgentPattern, appName: body.appName, expiresAt }
    const key = JSON.stringify(criteria)
    if (preview?.criteria !== key) {
      await showPreview(criteria)
      return
    }
    if (preview.result.critical > 0 && !acknowledged) {
      setPreviewError('This rule would hide a Critical finding: tick the box below if that is really meant.')
      return
    }
    setBusy(true)
    const payload = { ...body, hideCritical: acknowledged }
    const result = rule ? await sendJson('PUT', `/api/suppressions/${rule.id}`, payload) : await sendJson('POST', '/api/suppressions', payload)
    setBusy(false)
    if (!result.ok) return onError(result.error)
    onSaved()
  }

  const showPreview = async (criteria: Record<string, unknown>) => {
    setBusy(true)
    setPreviewError(null)
    const result = await sendJson('POST', '/api/suppressions/preview', criteria)
    setBusy(false)
    setAcknowledged(false)
    if (!result.ok) {
      setPreview(null)
      return setPreviewError(result.error.replace(/^invalid request: (body: )?/, ''))
    }
    setPreview({ criteria: JSON.stringify(criteria), result: result.data as SuppressionPreview })
  }
  const previewForm = (form: HTMLFormElement | null) => {
    if (!form) return
    const data = new FormData(form)
    const text = (name: string) => String(data.get(name) ?? '').trim() || null
    const expires = text('expiresAt')
    const expiresAt = !expires ? null : rule && expires === originalDate ? rule.expiresAt : new Date(`${expires}T23:59:59Z`).toISOString()
    void showPreview({
      datasetId: data.get('scope') === 'dataset' ? (rule?.datasetId ?? datasetId) : null,
      cidr: text('cidr'),
      upnPattern: text('upnPattern'),
      userAgentPattern: text('userAgentPattern'),
      appName: text('appName'),
      expiresAt,
    })
  }

  const value = (name: string) => String(fields[name] ?? '')
  return (
    <form
      onSubmit={submit}
      className="form-grid"
      style={{ marginTop: 12 }}
      aria-label={rule ? `Edit suppression rule ${rule.name}` : 'New suppression rule'}
      data-testid="suppression-form"
      data-mode={rule ? 'edit' : 'create'}
    >
      {rule && <h3 style={{ margin: 0 }}>Edit “{rule.name}”</h3>}
      {template && <p className="notice">{template.description}</p>}
      <div className="toolbar" style={{ margin: 0 }}>
        <label>
          Name
          <input type="text" name="name" required defaultValue={value('name')} autoFocus />
        </label>
        <label>
          Source range (CIDR)
          <input type="text" name="cidr" placeholder="198.51.100.20/32" defaultValue={value('cidr')} />
        </label>
        <label>
          User agent like
          <input type="text" name="userAgentPattern" placeholder="*AzureADConnect*" defaultValue={value('userAgentPattern')} />
        </label>
        <label>
          App
          <input type="text" name="appName" defaultValue={value('appName')} />
        </label>
        <label>
          Every username like
          <input type="text" name="upnPattern" placeholder="svc-*@contoso.com" defaultValue={value('upnPattern')} />
        </label>
        <label>
          {expiryRequired ? 'Expires (UTC date, required: the end of the engagement)' : 'Expires (UTC date)'}
          <input type="date" name="expiresAt" required={expiryRequired} defaultValue={dateOf(fields.expiresAt)} />
        </label>
        <label>
          Applies to
          <select name="scope" defaultValue={rule ? (rule.datasetId === null ? 'all' : 'dataset') : datasetId ? 'dataset' : 'all'}>
            {Boolean(datasetId ?? rule?.datasetId) && <option value="dataset">this dataset</option>}
            <option value="all">all datasets</option>
          </select>
        </label>
      </div>
      <label>
        Reason
        <input type="text" name="reason" required defaultValue={value('reason')} />
      </label>
      {previewError && (
        <p className="error-box" role="alert" data-testid="suppression-preview-error">
          {previewError}
        </p>
      )}
      {preview && <PreviewResult result={preview.result} acknowledged={acknowledged} onAcknowledge={setAcknowledged} />}
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="button" disabled={busy} onClick={(e) => previewForm(e.currentTarget.form)}>
          Preview what it hides
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {rule ? 'Save changes' : 'Create rule'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/** The findings a rule would hide, before it is saved; a Critical one must be acknowledged. */
function PreviewResult({ result, acknowledged, onAcknowledge }: { result: SuppressionPreview; acknowledged: boolean; onAcknowledge: (yes: boolean) => void }) {
  return (
    <div className="panel" data-testid="suppression-preview" style={{ padding: 12 }}>
      <p style={{ marginTop: 0 }} role="status">
        {result.total === 0 ? (
          'This rule hides no finding now.'
        ) : (
          <>
            This rule hides <strong data-testid="suppression-preview-total">{formatNumber(result.total)}</strong> {result.total === 1 ? 'finding' : 'findings'}
            {result.high > 0 ? `, ${formatNumber(result.high)} of them High Confidence` : ''}. Press the save button again to save it.
          </>
        )}
      </p>
      {result.critical > 0 && (
        <div className="error-box" role="alert" data-testid="suppression-critical-warning">
          <strong>
            {formatNumber(result.critical)} of them {result.critical === 1 ? 'is' : 'are'} Critical: a probed password proved right from that source.
          </strong>{' '}
          A known-benign source should not log in with a guessed password; check before hiding {result.critical === 1 ? 'it' : 'them'}.
          <label style={{ flexDirection: 'row', gap: 6, marginTop: 6 }}>
            <input type="checkbox" checked={acknowledged} onChange={(e) => onAcknowledge(e.target.checked)} /> Hide the Critical findings too
          </label>
        </div>
      )}
      {result.findings.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Findings the rule hides" style={{ maxHeight: 260, overflow: 'auto', marginTop: 8 }}>
          <table className="data">
            <thead>
              <tr>
                <th>Verdict</th>
                <th>Source IP</th>
                <th>Hour (UTC)</th>
                <th className="num">Users</th>
                <th>Dataset</th>
              </tr>
            </thead>
            <tbody>
              {result.findings.map((f) => (
                <tr key={f.id} data-critical={f.critical}>
                  <td>
                    <VerdictBadge verdict={f.verdict} short /> {f.critical && <span className="badge severity-critical">Critical</span>}
                  </td>
                  <td className="mono">{f.ipAddress}</td>
                  <td className="nowrap">{formatUtc(f.bucket, 'minute')}</td>
                  <td className="num">{f.uniqueUsernames}</td>
                  <td>{f.datasetName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.total > result.findings.length && <p className="muted">The {formatNumber(result.findings.length)} most serious are listed.</p>}
    </div>
  )
}
