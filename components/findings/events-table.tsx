'use client'

import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import type { FindingEventRow } from '@/lib/findings/username-timeline'
import { formatUtc } from '@/components/ui/format'

/** Pretty-prints the stored record; anything that is not JSON is shown as it is. */
function pretty(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2)
  } catch {
    return raw
  }
}

function RawRecord({ eventId }: { eventId: string }) {
  const [state, setState] = useState<{ raw?: string; shortened?: boolean; error?: string }>({})
  useEffect(() => {
    const controller = new AbortController()
    fetch(`/api/events/${eventId}`, { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`)
        const body = (await response.json()) as { raw: string; shortened?: boolean }
        setState({ raw: body.raw, shortened: body.shortened })
      })
      .catch((error: Error) => {
        if (!controller.signal.aborted) setState({ error: error.message })
      })
    return () => controller.abort()
  }, [eventId])
  if (state.error) return <p className="error-box">Could not load the original record: {state.error}</p>
  if (state.raw === undefined) return <p className="muted">Loading the original record…</p>
  // Text content only: the record is attacker-influenced and must never become markup.
  return (
    <>
      {state.shortened && <p className="muted">Values longer than 10,000 characters are shortened here; each says its full length.</p>}
      <pre className="raw" data-testid="raw-record">{pretty(state.raw)}</pre>
    </>
  )
}

/**
 * The raw events behind a finding. Only the rows in view are in the DOM, so thousands scroll
 * smoothly; each expands to the original record exactly as the log had it. The page sends the
 * first events only (page data stays small); "Show all" loads the rest from the events API.
 */
export function EventsTable({ findingId, initial, total }: { findingId: number; initial: FindingEventRow[]; total: number }) {
  const [loaded, setLoaded] = useState<FindingEventRow[] | null>(null)
  const [loading, setLoading] = useState<{ error?: string } | null>(null)
  const events = loaded ?? initial
  const loadAll = () => {
    setLoading({})
    fetch(`/api/findings/${findingId}/events`)
      .then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`)
        setLoaded(((await response.json()) as { events: FindingEventRow[] }).events)
        setLoading(null)
      })
      .catch((error: Error) => setLoading({ error: error.message }))
  }
  const parentRef = useRef<HTMLDivElement>(null)
  const [expanded, setExpanded] = useState<Set<string>>(new Set())
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 34,
    overscan: 12,
    getItemKey: (index) => events[index].id,
  })
  const toggle = (id: string) => {
    const next = new Set(expanded)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setExpanded(next)
  }
  return (
    <>
    {events.length < total && (
      <p className="muted" data-testid="events-partial">
        The first {events.length.toLocaleString('en-US')} of {total.toLocaleString('en-US')} events are listed.{' '}
        <button type="button" onClick={loadAll} disabled={loading !== null && !loading.error} data-testid="events-show-all">
          {loading !== null && !loading.error ? 'Loading…' : `Show all ${total.toLocaleString('en-US')}`}
        </button>
        {loading?.error && <span className="error-box"> Could not load the events: {loading.error}</span>}
      </p>
    )}
    <div className="virtual-table" role="table" aria-label="Sign-in events" aria-rowcount={events.length} data-testid="events-table">
      <div className="vt-head" role="rowgroup">
        <div role="row" className="vt-head-row">
        <span role="columnheader">Time (UTC)</span>
        <span role="columnheader">Username</span>
        <span role="columnheader">Code</span>
        <span role="columnheader">Application</span>
        <span role="columnheader">Failure reason</span>
        <span role="columnheader">Record</span>
        </div>
      </div>
      <div className="vt-body" ref={parentRef} tabIndex={0} role="rowgroup" aria-label="Events (scrolls)">
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const event = events[item.index]
            const open = expanded.has(event.id)
            return (
              <div
                key={item.key}
                role="presentation"
                ref={virtualizer.measureElement}
                data-index={item.index}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}
              >
                <div className="vt-row" role="row" aria-rowindex={item.index + 1}>
                  <span className="cell mono" role="cell">
                    {formatUtc(event.createdAt, 'ms').replace(' UTC', '')}
                  </span>
                  <span className="cell mono" role="cell" title={event.userPrincipalName}>
                    {event.userPrincipalName}
                  </span>
                  <span className="cell mono" role="cell">
                    {event.errorCode}
                  </span>
                  <span className="cell" role="cell" title={event.appDisplayName}>
                    {event.appDisplayName}
                  </span>
                  <span className="cell" role="cell" title={event.failureReason ?? ''}>
                    {event.failureReason}
                  </span>
                  <span className="cell" role="cell">
                    <button type="button" onClick={() => toggle(event.id)} aria-expanded={open} aria-label={`${open ? 'Hide' : 'Show'} the original record of this event`}>
                      {open ? 'Hide' : 'Show'}
                    </button>
                  </span>
                </div>
                {open && (
                  <div role="row">
                    <div role="cell" aria-colspan={6} style={{ padding: '0 8px 8px' }}>
                      <RawRecord eventId={event.id} />
                    </div>
                  </div>
                )}
              </div>
            )
          })}
        </div>
      </div>
    </div>
    </>
  )
}
