'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { CloseFindingForm } from '@/components/triage/close-finding-form'
import { sendJson } from '@/components/ui/api-client'
import { SEVERITIES, SEVERITY_LABELS } from '@/lib/triage/triage-model'

export interface Assignee {
  id: number
  email: string
  displayName: string
}

/** Actions on the table's selection: assign, set status or severity, close with a classification. */
export function BulkActions({ findingIds, assignees, currentUserId, canCloseHighAsFalsePositive, selectionHasHigh, onDone }: {
  findingIds: number[]
  assignees: Assignee[]
  currentUserId: number
  canCloseHighAsFalsePositive: boolean
  selectionHasHigh: boolean
  onDone: () => void
}) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [closing, setClosing] = useState(false)

  const apply = async (change: Record<string, unknown>) => {
    setBusy(true)
    setError(null)
    const result = await sendJson('POST', '/api/findings/triage', { findingIds, ...change })
    setBusy(false)
    if (!result.ok) {
      setError(result.error)
      return false
    }
    setClosing(false)
    onDone()
    router.refresh()
    return true
  }

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions" data-testid="bulk-actions">
      <strong>{findingIds.length} selected</strong>
      <button type="button" onClick={() => apply({ assign: currentUserId })} disabled={busy}>
        Assign to me
      </button>
      <label className="muted">
        Assign to{' '}
        <select
          defaultValue=""
          disabled={busy}
          onChange={(e) => {
            if (e.target.value !== '') void apply({ assign: e.target.value === 'none' ? null : Number(e.target.value) })
            e.target.value = ''
          }}
          aria-label="Assign the selection to"
          name="assign"
        >
          <option value="">choose…</option>
          <option value="none">nobody (unassign)</option>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName} ({a.email})
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => apply({ status: 'active' })} disabled={busy}>
        Set active
      </button>
      <button type="button" onClick={() => apply({ status: 'new' })} disabled={busy}>
        Set new
      </button>
      <label className="muted">
        Severity{' '}
        <select
          defaultValue=""
          disabled={busy}
          onChange={(e) => {
            if (e.target.value !== '') void apply({ severity: e.target.value === 'tier' ? null : e.target.value })
            e.target.value = ''
          }}
          aria-label="Set the severity of the selection"
          name="severity"
        >
          <option value="">choose…</option>
          <option value="tier">from the tier</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="primary" onClick={() => setClosing(!closing)} disabled={busy} aria-expanded={closing}>
        Close…
      </button>
      <button type="button" onClick={onDone} disabled={busy}>
        Clear selection
      </button>
      {error && (
        <p className="error-box" role="alert" style={{ flexBasis: '100%', margin: 0 }}>
          {error}
        </p>
      )}
      {closing && (
        <div style={{ flexBasis: '100%' }}>
          <CloseFindingForm
            busy={busy}
            allowFalsePositive={canCloseHighAsFalsePositive || !selectionHasHigh}
            onSubmit={(close) => apply({ close })}
            onCancel={() => setClosing(false)}
          />
        </div>
      )}
    </div>
  )
}
