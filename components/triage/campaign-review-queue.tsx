'use client'

import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import type { CampaignReviewRow } from '@/lib/triage/campaign-review-queue'
import { CLASSIFICATION_LABELS, REVIEW_LABELS, type ReviewStatus } from '@/lib/triage/triage-model'
import { sendJson } from '@/components/ui/api-client'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { formatNumber, formatUtc } from '@/components/ui/format'
import { TruncatedText } from '@/components/ui/truncated-text'
import { VerdictBadge } from '@/components/ui/verdict-badge'

/**
 * The campaigns of the review queue, beside its findings: a campaign is closed and reviewed like
 * a finding. A lead selects several and approves their closures at once (all or none, audited);
 * reopening one, with the comment that says why, is done from the campaign's page.
 */
export function CampaignReviewQueue({ campaigns, review, limited }: { campaigns: CampaignReviewRow[]; review: ReviewStatus; limited: boolean }) {
  const router = useRouter()
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const pending = review === 'pending'
  const visible = new Set(campaigns.map((c) => c.id))
  const chosen = [...selected].filter((id) => visible.has(id))
  const count = `${formatNumber(chosen.length)} ${chosen.length === 1 ? 'campaign' : 'campaigns'}`

  const approve = async () => {
    setBusy(true)
    setError(null)
    const result = await sendJson('POST', '/api/campaigns/review', { campaignIds: chosen, decision: 'approve' })
    setBusy(false)
    if (!result.ok) return setError(result.error)
    setConfirming(false)
    setSelected(new Set())
    router.refresh()
  }
  const toggle = (id: number, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })

  return (
    <section aria-labelledby="campaign-review-heading" data-testid="campaign-review-queue" style={{ marginBottom: 16 }}>
      <h2 id="campaign-review-heading">
        Campaigns {pending ? 'awaiting review' : `in review: ${REVIEW_LABELS[review].toLowerCase()}`} ({formatNumber(campaigns.length)}
        {limited ? '+' : ''})
      </h2>
      {campaigns.length === 0 ? (
        <p className="muted">{pending ? 'No campaign is waiting for a lead.' : 'None.'}</p>
      ) : (
        <>
          {pending && chosen.length > 0 && (
            <div className="bulk-bar" role="region" aria-label="Campaign review actions">
              <strong data-testid="campaign-selected-count">{formatNumber(chosen.length)} selected</strong>
              <button type="button" className="primary" disabled={busy} onClick={() => setConfirming(true)}>
                Approve campaign closures
              </button>
              <button type="button" disabled={busy} onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
              {error && !confirming && (
                <p className="error-box" role="alert" style={{ flexBasis: '100%', margin: 0 }}>
                  {error}
                </p>
              )}
            </div>
          )}
          <table className="data" data-testid="campaign-review-table">
              <thead>
                <tr>
                  {pending && (
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label="Select every campaign listed"
                        checked={chosen.length === campaigns.length}
                        onChange={(e) => setSelected(e.target.checked ? new Set(campaigns.map((c) => c.id)) : new Set())}
                      />
                    </th>
                  )}
                  <th scope="col">Campaign</th>
                  <th scope="col">Tier</th>
                  <th scope="col" className="num">IPs</th>
                  <th scope="col" className="num">Usernames</th>
                  <th scope="col">Classification</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Closed by</th>
                  <th scope="col">Closed</th>
                  <th scope="col">Dataset</th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((c) => (
                  <tr key={c.id} data-campaign-id={c.id}>
                    {pending && (
                      <td>
                        <input type="checkbox" aria-label={`Select campaign ${c.id}`} checked={selected.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
                      </td>
                    )}
                    <td>
                      <Link href={`/campaigns/${c.id}`}>Campaign {c.id}</Link>
                    </td>
                    <td>
                      <VerdictBadge verdict={c.verdict} short />
                    </td>
                    <td className="num">{formatNumber(c.ipCount)}</td>
                    <td className="num">{formatNumber(c.uniqueUsernames)}</td>
                    <td data-column="classification">{c.classification ? CLASSIFICATION_LABELS[c.classification] : '—'}</td>
                    <td data-column="reason">
                      <TruncatedText text={c.closeReason ?? ''} max={60} />
                    </td>
                    <td>{c.closedByEmail ?? '—'}</td>
                    <td>{c.closedAt ? formatUtc(c.closedAt, 'minute') : '—'}</td>
                    <td>{c.datasetName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Approve the closure of ${count}?`}
          confirmLabel="Approve"
          busyLabel="Approving…"
          busy={busy}
          error={error}
          onConfirm={() => void approve()}
          onCancel={() => setConfirming(false)}
          testId="campaign-review-confirm"
        >
          <p>Each keeps the classification and reason its analyst gave; the approval is audited. Their findings are reviewed on their own.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
