'use client'

import { useRouter } from 'next/navigation'
import { useRef, useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import { formatUtc } from '@/components/ui/format'
import { CLASSIFICATION_LABELS, SEVERITIES, SEVERITY_LABELS, type SeveritySource, type TriageState } from '@/lib/triage/triage-model'
import { CloseFindingForm } from './close-finding-form'
import { ReviewBadge, SeverityBadge, StatusBadge } from './triage-badges'

const SEVERITY_SOURCE_TEXT: Record<SeveritySource, string> = {
  tier: 'from the tier',
  adjusted: 'adjusted',
  escalation: 'a probed password proved right (outranks any adjustment)',
}

interface Props {
  /** What is triaged: a finding (the default) or a campaign, worked the same way. */
  subject?: 'finding' | 'campaign'
  subjectId: number
  /** A campaign's findings not closed yet, offered to close with it. */
  openFindings?: number
  state: TriageState
  isHigh: boolean
  assignees: { id: number; email: string; displayName: string }[]
  currentUserId: number
  permissions: { triage: boolean; review: boolean; closeHighAsFalsePositive: boolean }
}

/** A finding's triage: who owns it, where it stands, and what the user's role lets them do next. */
export function TriagePanel({ subject = 'finding', subjectId, openFindings, state, isHigh, assignees, currentUserId, permissions }: Props) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [closing, setClosing] = useState(false)
  const [reviewComment, setReviewComment] = useState('')
  const [commentError, setCommentError] = useState<string | null>(null)
  const commentRef = useRef<HTMLTextAreaElement>(null)

  const run = async (url: string, body: unknown) => {
    setBusy(true)
    setError(null)
    const result = await sendJson('POST', url, body)
    setBusy(false)
    if (!result.ok) {
      setError(result.error)
      return
    }
    setClosing(false)
    router.refresh()
  }
  const base = subject === 'campaign' ? '/api/campaigns' : '/api/findings'
  const triage = (change: Record<string, unknown>) => run(`${base}/triage`, { [subject === 'campaign' ? 'campaignIds' : 'findingIds']: [subjectId], ...change })
  const review = (decision: 'approve' | 'reopen') => {
    // Said next to the box, where the eye is, rather than in a message further down the page.
    if (decision === 'reopen' && reviewComment.trim() === '') {
      setCommentError('Say why you reopen it: the analyst reads this comment.')
      commentRef.current?.focus()
      commentRef.current?.scrollIntoView({ block: 'center' })
      return
    }
    setCommentError(null)
    return run(`${base}/${subjectId}/review`, { decision, comment: reviewComment })
  }
  // A closure awaiting this lead's review is reopened through the review (with its comment), not a second Reopen.
  const reviewing = permissions.review && state.reviewStatus === 'pending'

  return (
    <section className="panel" aria-label="Triage" data-testid="triage-panel">
      <h2 style={{ marginTop: 0 }}>Triage</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="triage-status">
          <StatusBadge status={state.status} />
        </dd>
        <dt>Owner</dt>
        <dd data-testid="triage-owner">{state.ownerEmail ?? <span className="muted">unassigned</span>}</dd>
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={state.severity} /> <span className="muted">{SEVERITY_SOURCE_TEXT[state.severitySource]}</span>
        </dd>
        {state.classification && (
          <>
            <dt>Classification</dt>
            <dd data-testid="triage-classification">
              {CLASSIFICATION_LABELS[state.classification]} — {state.closeReason}
              <div className="muted">
                closed by {state.closedByEmail} {formatUtc(state.closedAt, 'minute')}
              </div>
            </dd>
          </>
        )}
        <dt>Review</dt>
        <dd data-testid="triage-review">
          <ReviewBadge review={state.reviewStatus} />
          {state.reviewedByEmail && (
            <span className="muted">
              {' '}
              by {state.reviewedByEmail} {formatUtc(state.reviewedAt, 'minute')}
            </span>
          )}
        </dd>
      </dl>

      {permissions.triage && (
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 12, alignItems: 'center' }}>
          {state.ownerId !== currentUserId && (
            <button type="button" onClick={() => triage({ assign: currentUserId })} disabled={busy}>
              Assign to me
            </button>
          )}
          <label className="muted">
            Owner{' '}
            <select value={state.ownerId ?? ''} disabled={busy} onChange={(e) => triage({ assign: e.target.value === '' ? null : Number(e.target.value) })} name="owner" aria-label="Owner">
              <option value="">unassigned</option>
              {assignees.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.displayName} ({a.email})
                </option>
              ))}
            </select>
          </label>
          <label className="muted">
            Severity{' '}
            <select value={state.severityAdjusted ? state.severity : ''} disabled={busy} onChange={(e) => triage({ severity: e.target.value === '' ? null : e.target.value })} name="severity" aria-label="Severity">
              <option value="">from the tier</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {SEVERITY_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          {state.status === 'new' && (
            <button type="button" onClick={() => triage({ status: 'active' })} disabled={busy}>
              Start (set active)
            </button>
          )}
          {state.status === 'closed' ? (
            !reviewing && (
              <button type="button" onClick={() => triage({ status: 'active' })} disabled={busy}>
                Reopen
              </button>
            )
          ) : (
            <button type="button" className="primary" onClick={() => setClosing(!closing)} disabled={busy} aria-expanded={closing}>
              Close…
            </button>
          )}
        </div>
      )}
      {closing && (
        <div style={{ marginTop: 12 }}>
          <CloseFindingForm busy={busy} allowFalsePositive={!(isHigh || state.severitySource === 'escalation') || permissions.closeHighAsFalsePositive} openFindings={openFindings} onSubmit={(close, closeFindings) => triage(subject === 'campaign' ? { close, closeFindings } : { close })} onCancel={() => setClosing(false)} />
        </div>
      )}
      {reviewing && (
        <form className="panel form-grid" style={{ marginTop: 12, borderColor: '#c297ff' }} aria-label="Review" data-testid="review-form" onSubmit={(e: FormEvent) => {
            e.preventDefault()
            void review('approve')
          }}>
          <strong>This closure waits for your review.</strong>
          <label>
            Comment (required to reopen)
            <textarea
              ref={commentRef}
              name="reviewComment"
              maxLength={10000}
              value={reviewComment}
              onChange={(e) => {
                setReviewComment(e.target.value)
                if (e.target.value.trim()) setCommentError(null)
              }}
              aria-invalid={commentError ? true : undefined}
              aria-describedby={commentError ? `review-comment-error-${subjectId}` : undefined}
            />
          </label>
          {commentError && (
            <p className="field-error" id={`review-comment-error-${subjectId}`} role="alert" style={{ margin: 0 }} data-testid="review-comment-error">
              {commentError}
            </p>
          )}
          <div style={{ display: 'flex', gap: 8 }}>
            <button type="submit" className="primary" disabled={busy}>
              Approve
            </button>
            <button type="button" disabled={busy} onClick={() => review('reopen')}>
              Reopen
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error-box" role="alert" style={{ marginTop: 12 }}>
          {error}
        </p>
      )}
    </section>
  )
}
