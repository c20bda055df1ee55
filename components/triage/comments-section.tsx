'use client'

import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { sendJson } from '@/components/ui/api-client'
import { formatUtc } from '@/components/ui/format'
import type { TriageComment } from '@/lib/triage/triage-model'

/** The conversation about a finding or a campaign; comments are text (never markup) with author and time. */
export function CommentsSection({
  findingId,
  campaignId,
  comments,
  canComment,
}: {
  findingId?: number
  campaignId?: number
  comments: TriageComment[]
  canComment: boolean
}) {
  const router = useRouter()
  const [body, setBody] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    const url = campaignId !== undefined ? `/api/campaigns/${campaignId}/comments` : `/api/findings/${findingId}/comments`
    const result = await sendJson('POST', url, { body })
    setBusy(false)
    if (!result.ok) return setError(result.error)
    setBody('')
    setError(null)
    router.refresh()
  }
  return (
    <section aria-label="Comments" data-testid="comments">
      <h2>Comments ({comments.length})</h2>
      {comments.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ul className="timeline-list">
          {comments.map((c) => (
            <li key={c.id}>
              <span className="who">{c.authorEmail ?? 'deleted user'}</span> <span className="muted">{formatUtc(c.createdAt, 'minute')}</span>
              <p className="comment-body">{c.body}</p>
            </li>
          ))}
        </ul>
      )}
      {canComment && (
        <form onSubmit={submit} className="form-grid" style={{ marginTop: 8, maxWidth: 720 }}>
          <label>
            Add a comment
            <textarea name="comment" value={body} onChange={(e) => setBody(e.target.value)} maxLength={10000} required />
          </label>
          {error && (
            <p className="error-box" role="alert">
              {error}
            </p>
          )}
          <div>
            <button type="submit" disabled={busy || body.trim() === ''}>
              Comment
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
