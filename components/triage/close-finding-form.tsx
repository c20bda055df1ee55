'use client'

import { useState, type FormEvent } from 'react'
import { CLASSIFICATIONS, CLASSIFICATION_LABELS, type Classification } from '@/lib/triage/triage-model'

/** Closing asks for a classification and a reason, like every SOC case tool. */
export function CloseFindingForm({ busy, allowFalsePositive, onSubmit, onCancel, openFindings }: {
  busy: boolean
  /** False when the selection holds High Confidence findings and the user is not a lead. */
  allowFalsePositive: boolean
  onSubmit: (close: { classification: Classification; reason: string; comment?: string }, closeFindings: boolean) => void
  onCancel: () => void
  /** Closing a campaign: how many of its findings are still open (offered to close with it). */
  openFindings?: number
}) {
  const [classification, setClassification] = useState<Classification>('true_positive')
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const comment = String(form.get('comment') ?? '').trim()
    onSubmit({ classification, reason: String(form.get('reason') ?? ''), ...(comment ? { comment } : {}) }, form.get('closeFindings') === 'on')
  }
  return (
    <form className="panel form-grid" onSubmit={submit} aria-label="Close with a classification" data-testid="close-form">
      <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'flex', gap: 16, flexWrap: 'wrap' }}>
        <legend className="muted" style={{ marginBottom: 4 }}>
          Classification
        </legend>
        {CLASSIFICATIONS.map((c) => {
          const disabled = c === 'false_positive' && !allowFalsePositive
          return (
            <label key={c} style={{ display: 'flex', gap: 6, alignItems: 'center' }} title={disabled ? 'High Confidence and Critical findings can only be closed as false positive by a lead' : undefined}>
              <input type="radio" name="classification" value={c} checked={classification === c} onChange={() => setClassification(c)} disabled={disabled} />
              {CLASSIFICATION_LABELS[c]}
              {disabled && <span className="muted">(lead only for High and Critical)</span>}
            </label>
          )
        })}
      </fieldset>
      <label>
        Reason
        <input type="text" name="reason" required maxLength={2000} placeholder="e.g. MSOLSpray from a known spray IP; blocked at the edge" />
      </label>
      <label>
        Comment (optional)
        <textarea name="comment" maxLength={10000} />
      </label>
      {openFindings !== undefined && openFindings > 0 && (
        <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          <input type="checkbox" name="closeFindings" defaultChecked />
          Close its {openFindings} open finding{openFindings === 1 ? '' : 's'} too, with this classification and reason
        </label>
      )}
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="submit" className="primary" disabled={busy}>
          Close
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  )
}
