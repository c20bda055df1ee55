'use client'

import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useState, useTransition, type FormEvent } from 'react'
import { VERDICTS, type Verdict } from '@/lib/detection/verdicts'
import { formatNumber } from '@/components/ui/format'
import { tierClass } from '@/components/ui/verdict-badge'
import { STATUS_LABELS, TRIAGE_STATUSES } from '@/lib/triage/triage-model'

interface Props {
  tierCounts: Record<Verdict, number>
  datasets: { id: number; name: string }[]
  clientApps: string[]
  assignees: { id: number; email: string; displayName: string }[]
  /** Whether the user can own findings (a viewer cannot: no "Me" owner filter). */
  canOwn: boolean
  /** The review queue: its Review filter starts at "awaiting review" and has no "any". */
  reviewQueue: boolean
  /** The newest sign-in of the datasets in view: quick time ranges count back from it. */
  latestEvent: string | null
}

const DAY = 24 * 3_600_000
/** Quick ranges, counted back from the newest sign-in in the data, not from today: exports are historical. */
const QUICK_RANGES = [
  { label: 'Last 24 h', ms: DAY },
  { label: 'Last 7 days', ms: 7 * DAY },
] as const

/** `datetime-local` values are read and written as UTC, the time the logs are in. */
function toInputValue(iso: string | null): string {
  return iso ? iso.slice(0, 16) : ''
}

function fromInputValue(value: string): string | null {
  return value ? `${value}:00.000Z` : null
}

/**
 * The filters above the findings table: tier counts (which are also the tier filter), search,
 * dataset, client app and time range. Every change is a new URL, so a view can be shared.
 */
export function FindingsFilters({ tierCounts, datasets, clientApps, assignees, canOwn, reviewQueue, latestEvent }: Props) {
  const router = useRouter()
  const pathname = usePathname()
  const params = useSearchParams()
  const [pending, startTransition] = useTransition()
  const urlSearch = params.get('q') ?? ''
  const [search, setSearch] = useState(urlSearch)
  // Back and Forward change the URL under the box: it shows the search of the view on screen.
  // Adjusted while rendering, and only on a change: an effect ran once after hydration too, and
  // wiped what the analyst had typed in between.
  const [shownUrlSearch, setShownUrlSearch] = useState(urlSearch)
  if (shownUrlSearch !== urlSearch) {
    setShownUrlSearch(urlSearch)
    setSearch(urlSearch)
  }

  const update = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(params.toString())
    change(next)
    next.delete('page')
    startTransition(() => router.push(`${pathname}?${next.toString()}`, { scroll: false }))
  }
  const selectedVerdicts = params.getAll('verdict')

  const toggleVerdict = (verdict: Verdict) =>
    update((next) => {
      const current = new Set(next.getAll('verdict'))
      if (current.has(verdict)) current.delete(verdict)
      else current.add(verdict)
      next.delete('verdict')
      for (const v of VERDICTS) if (current.has(v)) next.append('verdict', v)
    })

  const setValue = (key: string, value: string | null) =>
    update((next) => {
      if (value) next.set(key, value)
      else next.delete(key)
    })

  // Reads the box itself, not the state: text typed before hydration never reached onChange.
  const submitSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const typed = new FormData(event.currentTarget).get('q')
    setValue('q', (typeof typed === 'string' ? typed : search).trim() || null)
  }
  // Before hydration the form submits natively; these keep the rest of the view in that URL.
  const keptParams = [...params.entries()].filter(([key]) => key !== 'q' && key !== 'page')

  const mode = params.get('mode') === 'extended' ? 'extended' : 'parity'
  return (
    <section aria-label="Filters" aria-busy={pending}>
      <div className="tier-chips" role="group" aria-label="Detection mode" style={{ marginBottom: 8 }}>
        <button type="button" className="tier-chip" aria-pressed={mode === 'parity'} onClick={() => setValue('mode', null)} data-mode="parity" title="Exactly the reference rule's hourly findings">
          Parity (the reference rule)
        </button>
        <button
          type="button"
          className="tier-chip"
          aria-pressed={mode === 'extended'}
          onClick={() => setValue('mode', 'extended')}
          data-mode="extended"
          title="Also bursts split by the hour boundary (sliding window) and low-and-slow probing"
        >
          Extended (+ sliding window, low and slow)
        </button>
      </div>
      <div className="tier-chips" role="group" aria-label="Filter by verdict">
        {VERDICTS.map((verdict) => (
          <button
            key={verdict}
            type="button"
            className="tier-chip"
            aria-pressed={selectedVerdicts.includes(verdict)}
            onClick={() => toggleVerdict(verdict)}
            data-verdict={verdict}
          >
            <span className={`badge ${tierClass(verdict)}`}>{verdict}</span>
            <span className="count">{formatNumber(tierCounts[verdict])}</span>
          </button>
        ))}
        {selectedVerdicts.length > 0 && (
          <button type="button" onClick={() => update((next) => next.delete('verdict'))}>
            All tiers
          </button>
        )}
      </div>
      <div className="toolbar">
        <form onSubmit={submitSearch} role="search">
          {keptParams.map(([key, value], i) => (
            <input key={`${key}-${i}`} type="hidden" name={key} value={value} />
          ))}
          <label>
            Search IP, user agent or username
            <span style={{ display: 'flex', gap: 6 }}>
              <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. 203.0.113.7, python-requests, alice@" name="q" />
              <button type="submit">Search</button>
            </span>
          </label>
        </form>
        <label>
          Dataset
          <select value={params.get('dataset') ?? ''} onChange={(e) => setValue('dataset', e.target.value || null)} name="dataset">
            <option value="">All datasets</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Client app
          {/* A log can leave the client app empty, and `app=` filters on that: the options carry a
              prefix so the empty app is not the "all" option's empty value. */}
          <select
            value={params.has('app') ? `=${params.get('app')}` : ''}
            onChange={(e) =>
              update((next) => {
                if (e.target.value === '') next.delete('app')
                else next.set('app', e.target.value.slice(1))
              })
            }
            name="app"
          >
            <option value="">All client apps</option>
            {clientApps.map((app) => (
              <option key={app} value={`=${app}`}>
                {app === '' ? '(empty)' : app}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select
            value={params.getAll('status').join(',')}
            onChange={(e) =>
              update((next) => {
                next.delete('status')
                for (const status of e.target.value.split(',').filter(Boolean)) next.append('status', status)
              })
            }
            name="status"
          >
            <option value="">Any status</option>
            <option value="new,active">Open (new or active)</option>
            {TRIAGE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Owner
          <select value={params.get('owner') ?? ''} onChange={(e) => setValue('owner', e.target.value || null)} name="owner">
            <option value="">Anyone</option>
            {canOwn && <option value="me">Me</option>}
            <option value="none">Unassigned</option>
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Review
          <select
            value={params.get('review') ?? (reviewQueue ? 'pending' : '')}
            onChange={(e) => setValue('review', e.target.value === '' || (reviewQueue && e.target.value === 'pending') ? null : e.target.value)}
            name="review"
          >
            {!reviewQueue && <option value="">Any</option>}
            <option value="pending">Awaiting review</option>
            <option value="approved">Approved</option>
            <option value="reopened">Reopened by lead</option>
          </select>
        </label>
        <label>
          Suppressed
          <select value={params.get('suppressed') ?? ''} onChange={(e) => setValue('suppressed', e.target.value || null)} name="suppressed">
            <option value="">Hidden</option>
            <option value="show">Shown with the rest</option>
            <option value="only">Only suppressed</option>
          </select>
        </label>
        <label>
          Password proved right
          <select value={params.get('escalated') ?? ''} onChange={(e) => setValue('escalated', e.target.value || null)} name="escalated">
            <option value="">Any</option>
            <option value="only">Only escalated (Critical)</option>
          </select>
        </label>
        <label>
          From (UTC)
          <input type="datetime-local" value={toInputValue(params.get('from'))} onChange={(e) => setValue('from', fromInputValue(e.target.value))} name="from" />
        </label>
        <label>
          To (UTC)
          <input type="datetime-local" value={toInputValue(params.get('to'))} onChange={(e) => setValue('to', fromInputValue(e.target.value))} name="to" />
        </label>
        <div className="quick-ranges" role="group" aria-label="Quick time ranges">
          {latestEvent &&
            QUICK_RANGES.map((range) => {
              // Hours, as the findings are: the range ends after the hour of the newest sign-in.
              const end = Math.floor(Date.parse(latestEvent) / 3_600_000) * 3_600_000 + 3_600_000
              const from = new Date(end - range.ms).toISOString()
              const to = new Date(end).toISOString()
              const active = params.get('from') === from && params.get('to') === to
              return (
                <button
                  key={range.label}
                  type="button"
                  aria-pressed={active}
                  title={`Up to the newest sign-in in the data (${latestEvent.slice(0, 16).replace('T', ' ')} UTC), not up to now: exports are historical`}
                  onClick={() =>
                    update((next) => {
                      next.set('from', from)
                      next.set('to', to)
                    })
                  }
                >
                  {range.label}
                </button>
              )
            })}
          <button
            type="button"
            aria-pressed={!params.get('from') && !params.get('to')}
            onClick={() =>
              update((next) => {
                next.delete('from')
                next.delete('to')
              })
            }
          >
            All time
          </button>
          {latestEvent && <span className="muted" style={{ fontSize: '0.8rem' }}>counted back from the newest sign-in, {latestEvent.slice(0, 16).replace('T', ' ')} UTC</span>}
        </div>
        {params.toString() !== '' && (
          <button type="button" onClick={() => startTransition(() => router.push(pathname))}>
            Clear all
          </button>
        )}
      </div>
    </section>
  )
}
