'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { CloseFindingForm } from '@/components/triage/close-finding-form'
import { sendJson } from '@/components/ui/api-client'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { formatNumber } from '@/components/ui/format'
import { SEVERITIES, SEVERITY_LABELS } from '@/lib/triage/triage-model'

export interface Assignee {
  id: number
  email: string
  displayName: string
}

/** A change waiting for the user's yes: what it does, in words, and the request that makes it. */
interface Pending {
  title: string
  detail: string
  url: string
  change: Record<string, unknown>
  /** Past tense for the undo banner ("Changed the owner of"); absent: nothing to undo. */
  done?: string
}

/**
 * What a bulk action acts on: findings picked by id, or every finding of the view (its query
 * string, resolved on the server however many there are; `total` is the number the user sees and confirms).
 */
export type BulkTarget = { kind: 'ids'; ids: number[] } | { kind: 'view'; view: string; total: number }

/** A change that went through and can be taken back (owner, status, severity). */
export interface UndoableChange {
  batch: string
  message: string
}

/**
 * Actions on the table's selection (which may reach past this page): assign, set status or
 * severity, close with a classification, and in the review queue approve. Owner and severity
 * changes to many findings at once ask first, naming how many and what; once made they can be
 * undone (onChanged hands the table the change's batch).
 */
export function BulkActions({ target, offPage, assignees, currentUserId, canCloseHighAsFalsePositive, canApprove, selectionHasHigh, onDone, onChanged }: {
  target: BulkTarget
  /** How many of the selected findings are not on this page. */
  offPage: number
  assignees: Assignee[]
  currentUserId: number
  canCloseHighAsFalsePositive: boolean
  canApprove: boolean
  /** null: not known here (a whole view); the server refuses a false positive a lead must make. */
  selectionHasHigh: boolean | null
  onDone: () => void
  onChanged: (change: UndoableChange) => void
}) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [closing, setClosing] = useState(false)
  const [confirming, setConfirming] = useState<Pending | null>(null)
  const n = target.kind === 'ids' ? target.ids.length : target.total
  const count = `${formatNumber(n)} ${n === 1 ? 'finding' : 'findings'}`
  const selection = target.kind === 'ids' ? { findingIds: target.ids } : { view: target.view, expected: target.total }

  const apply = async (change: Record<string, unknown>, url = '/api/findings/triage', done?: string) => {
    setBusy(true)
    setError(null)
    const result = await sendJson('POST', url, { ...selection, ...change })
    setBusy(false)
    if (!result.ok) {
      setError(result.error)
      return false
    }
    setClosing(false)
    setConfirming(null)
    onDone()
    const answer = result.data as { changed?: number; batch?: string | null }
    const changed = answer.changed ?? n
    if (done && answer.batch) onChanged({ batch: answer.batch, message: `${done} ${formatNumber(changed)} ${changed === 1 ? 'finding' : 'findings'}` })
    router.refresh()
    return true
  }
  const ask = (title: string, detail: string, change: Record<string, unknown>, url = '/api/findings/triage', done?: string) => {
    setError(null)
    setConfirming({ title, detail, change, url, done })
  }
  const ownerName = (id: number | null) => {
    if (id === null) return 'nobody'
    const a = assignees.find((x) => x.id === id)
    return a ? `${a.displayName} (${a.email})` : `user ${id}`
  }

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions" data-testid="bulk-actions">
      <strong data-testid="selected-count">
        {formatNumber(n)} selected{offPage > 0 ? ` (${formatNumber(offPage)} on other pages)` : ''}
      </strong>
      {canApprove && (
        <button type="button" className="primary" disabled={busy} onClick={() => ask(`Approve the closure of ${count}?`, 'Each keeps the classification and reason its analyst gave; the approval is audited.', { decision: 'approve' }, '/api/findings/review')}>
          Approve closures
        </button>
      )}
      <button type="button" onClick={() => ask(`Assign ${count} to you?`, 'Each new one becomes active; the change is audited, and can be undone.', { assign: currentUserId }, undefined, 'Changed the owner of')} disabled={busy}>
        Assign to me
      </button>
      <label className="muted">
        Assign to{' '}
        <select
          defaultValue=""
          disabled={busy}
          onChange={(e) => {
            if (e.target.value !== '') {
              const assign = e.target.value === 'none' ? null : Number(e.target.value)
              ask(
                assign === null ? `Unassign ${count}?` : `Assign ${count} to ${ownerName(assign)}?`,
                'Whoever owns them now stops owning them; the change is audited, and can be undone.',
                { assign },
                undefined,
                'Changed the owner of',
              )
            }
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
      <button type="button" onClick={() => apply({ status: 'active' }, undefined, 'Changed the status of')} disabled={busy}>
        Set active
      </button>
      <button type="button" onClick={() => apply({ status: 'new' }, undefined, 'Changed the status of')} disabled={busy}>
        Set new
      </button>
      <label className="muted">
        Severity{' '}
        <select
          defaultValue=""
          disabled={busy}
          onChange={(e) => {
            if (e.target.value !== '') {
              const severity = e.target.value === 'tier' ? null : (e.target.value as (typeof SEVERITIES)[number])
              ask(
                `Set the severity of ${count} to ${severity ? SEVERITY_LABELS[severity] : 'the one of their tier'}?`,
                'A finding whose probed password proved right stays Critical whatever is set; the change is audited, and can be undone.',
                { severity },
                undefined,
                'Changed the severity of',
              )
            }
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
      {error && !confirming && (
        <p className="error-box" role="alert" style={{ flexBasis: '100%', margin: 0 }}>
          {error}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={confirming.title}
          confirmLabel="Apply"
          busyLabel="Applying…"
          busy={busy}
          error={error}
          onConfirm={() => void apply(confirming.change, confirming.url, confirming.done)}
          onCancel={() => setConfirming(null)}
          testId="bulk-confirm"
        >
          <p>{confirming.detail}</p>
          {target.kind === 'view' ? (
            <p className="muted">Every finding matching this view: {formatNumber(target.total)}. If the view matches another number by then, nothing changes and you are asked again.</p>
          ) : (
            offPage > 0 && <p className="muted">{formatNumber(offPage)} of them are not on this page.</p>
          )}
        </ConfirmDialog>
      )}
      {closing && (
        <div style={{ flexBasis: '100%' }}>
          <CloseFindingForm
            busy={busy}
            allowFalsePositive={canCloseHighAsFalsePositive || selectionHasHigh !== true}
            onSubmit={(close) => apply({ close })}
            onCancel={() => setClosing(false)}
          />
        </div>
      )}
    </div>
  )
}
