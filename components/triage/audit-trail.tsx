import type { AuditEntry } from '@/lib/auth/audit'
import { formatUtc } from '@/components/ui/format'

const ACTIONS: Record<string, string> = {
  'triage.assign': 'assigned',
  'triage.status': 'changed the status',
  'triage.severity': 'changed the severity',
  'triage.close': 'closed',
  'triage.reopen': 'reopened',
  'triage.update': 'updated',
  'triage.comment': 'commented',
  'triage.review.approve': 'approved the closure',
  'triage.review.reopen': 'reopened in review',
  'triage.campaign-moved': 'moved the triage to the campaign found again',
  'triage.undo': 'undid a bulk change',
}

/** Bookkeeping in an entry, not a field that changed: which bulk change it was part of or undid. */
const NOT_FIELDS = new Set(['batch', 'undoes'])

function describe(value: unknown): string {
  if (value === null || value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Who changed what, from what to what, and when — the append-only trail, oldest first. */
export function AuditTrail({ entries, subject = 'finding' }: { entries: AuditEntry[]; subject?: 'finding' | 'campaign' }) {
  return (
    <section aria-label="Audit trail" data-testid="audit-trail">
      <h2>Audit trail ({entries.length})</h2>
      {entries.length === 0 ? (
        <p className="muted">Nobody has changed this {subject} yet.</p>
      ) : (
        <ul className="timeline-list">
          {entries.map((entry) => {
            const before = (entry.before ?? {}) as Record<string, unknown>
            const after = (entry.after ?? {}) as Record<string, unknown>
            const fields = Object.keys(after).filter((k) => k !== subject && !NOT_FIELDS.has(k))
            return (
              <li key={entry.id} data-action={entry.action}>
                <span className="muted">{formatUtc(entry.at, 'second')}</span> <span className="who">{entry.actorLabel}</span> {ACTIONS[entry.action] ?? entry.action}
                {fields.length > 0 && (
                  <ul style={{ margin: '2px 0 0', paddingLeft: 18 }}>
                    {fields.map((field) =>
                      entry.action === 'triage.comment' ? (
                        <li key={field} className="comment-body">
                          {describe(after[field])}
                        </li>
                      ) : (
                        <li key={field}>
                          {field}: <span className="muted">{describe(before[field])}</span> → <strong>{describe(after[field])}</strong>
                        </li>
                      ),
                    )}
                  </ul>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
