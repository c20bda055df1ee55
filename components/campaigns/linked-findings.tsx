'use client'

import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import type { CampaignLinkedFinding } from '@/lib/campaigns/campaign-types'
import { CloseFindingForm } from '@/components/triage/close-finding-form'
import { StatusBadge } from '@/components/triage/triage-badges'
import { sendJson } from '@/components/ui/api-client'
import { formatHour, formatNumber } from '@/components/ui/format'
import { VerdictBadge } from '@/components/ui/verdict-badge'
import { useServerRows } from '@/components/ui/server-rows'

/**
 * Findings the rule (or its extensions) raised on one of the campaign's sources, with their
 * triage; an analyst selects some (or all open ones) and closes them together.
 */
export function LinkedFindings({
  findings,
  total,
  openTotal,
  showAllHref,
  permissions,
}: {
  /** The first findings, or all of them (`total` says how many there are). */
  findings: CampaignLinkedFinding[]
  total: number
  openTotal: number
  showAllHref: string
  permissions: { triage: boolean; closeHighAsFalsePositive: boolean }
}) {
  const router = useRouter()
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [closing, setClosing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const open = findings.filter((f) => f.triageStatus !== 'closed')
  const chosen = findings.filter((f) => selected.has(f.id))
  const toggle = (id: number) => setSelected((current) => {
    const next = new Set(current)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    return next
  })
  // The server renders the first rows only; the browser draws the rest after hydration.
  const rows = useServerRows(findings)
  const allOpenSelected = open.length > 0 && open.every((f) => selected.has(f.id))
  return (
    <section className="panel" aria-labelledby="linked-findings-heading">
      <h2 id="linked-findings-heading" style={{ marginTop: 0 }}>
        Findings of its sources ({formatNumber(total)}, {formatNumber(openTotal)} open)
      </h2>
      {findings.length < total && (
        <p className="muted" data-testid="campaign-findings-partial">
          The first {formatNumber(findings.length)} of {formatNumber(total)} are listed. <Link href={showAllHref}>Show all {formatNumber(total)}</Link>; to close
          every open one, close the campaign with its findings.
        </p>
      )}
      {total === 0 ? (
        <p className="muted">None: no single source of this campaign crossed a threshold on its own.</p>
      ) : (
        <>
          {permissions.triage && (
            <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', marginBottom: 8 }}>
              <button type="button" disabled={open.length === 0 || busy} onClick={() => setSelected(allOpenSelected ? new Set() : new Set(open.map((f) => f.id)))}>
                {allOpenSelected ? 'Clear the selection' : `Select the ${formatNumber(open.length)} open${findings.length < total ? ' listed' : ''}`}
              </button>
              <button type="button" className="primary" disabled={chosen.length === 0 || busy} aria-expanded={closing} onClick={() => setClosing(!closing)}>
                Close {formatNumber(chosen.length)} selected…
              </button>
            </div>
          )}
          {closing && chosen.length > 0 && (
            <CloseFindingForm
              busy={busy}
              allowFalsePositive={permissions.closeHighAsFalsePositive || !chosen.some((f) => f.verdict === 'High Confidence Enumeration')}
              onCancel={() => setClosing(false)}
              onSubmit={async (close) => {
                setBusy(true)
                setError(null)
                const result = await sendJson('POST', '/api/findings/triage', { findingIds: chosen.map((f) => f.id), close })
                setBusy(false)
                if (!result.ok) return setError(result.error)
                setClosing(false)
                setSelected(new Set())
                router.refresh()
              }}
            />
          )}
          {error && (
            <p className="error-box" role="alert">
              {error}
            </p>
          )}
          <table className="data" data-testid="campaign-findings-table">
            <thead>
              <tr>
                {permissions.triage && (
                  <th>
                    <span className="sr-only">Select</span>
                  </th>
                )}
                <th>Finding</th>
                <th>Hour (UTC)</th>
                <th>Source IP</th>
                <th className="num">Usernames</th>
                <th>Verdict</th>
                <th>Status</th>
                <th>Owner</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((f) => (
                <tr key={f.id} data-finding-id={f.id}>
                  {permissions.triage && (
                    <td>
                      <input type="checkbox" aria-label={`Select finding ${f.id}`} checked={selected.has(f.id)} onChange={() => toggle(f.id)} />
                    </td>
                  )}
                  <td>
                    <Link href={`/findings/${f.id}`}>
                      #{f.id}
                      {f.kind !== 'hourly' ? ` (${f.kind.replace(/_/g, ' ')})` : ''}
                    </Link>
                  </td>
                  <td className="nowrap">{formatHour(f.bucket)}</td>
                  <td className="mono">{f.ipAddress}</td>
                  <td className="num">{formatNumber(f.uniqueUsernames)}</td>
                  <td>
                    <VerdictBadge verdict={f.verdict} short />
                  </td>
                  <td data-column="status">
                    <StatusBadge status={f.triageStatus} />
                  </td>
                  <td>{f.ownerEmail ?? <span className="muted">unassigned</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
