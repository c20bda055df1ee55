'use client'

import { useEffect, useMemo, useState } from 'react'
import { usePathname, useSearchParams } from 'next/navigation'
import { Bar, Brush, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { TimelinePoint } from '@/lib/ips/get-ip-activity'
import { PROBED_LABEL, TARGETED_LABEL } from '@/lib/ips/count-labels'
import { formatHour } from '@/components/ui/format'
import { FINE_BIN_MINUTES, FINE_ZOOM_HOURS, fillBins, initialZoom, WHOLE_SPAN, zoomFromParam, zoomParam, type ZoomRange } from '@/lib/ips/timeline-zoom'
import { codeColor } from './code-colors'

const HOUR = 3_600_000

interface Row {
  bucket: string
  usernames: number
  probedUsernames: number
  attempts: number
  [code: `code ${string}`]: number
}

function toRows(points: TimelinePoint[], codes: string[]): Row[] {
  return points.map((p) => {
    const row: Row = { bucket: p.bucket, usernames: p.usernames, probedUsernames: p.probedUsernames, attempts: p.attempts }
    for (const code of codes) row[`code ${code}`] = p.attemptsByCode[code] ?? 0
    return row
  })
}

function fillHours(points: TimelinePoint[]): TimelinePoint[] {
  if (points.length < 2) return points
  const first = Date.parse(points[0].bucket)
  const last = Date.parse(points[points.length - 1].bucket)
  if ((last - first) / HOUR > 24 * 60) return points
  const byTime = new Map(points.map((p) => [Date.parse(p.bucket), p]))
  const filled: TimelinePoint[] = []
  for (let t = first; t <= last; t += HOUR) filled.push(byTime.get(t) ?? { bucket: new Date(t).toISOString(), attemptsByCode: {}, attempts: 0, usernames: 0, probedUsernames: 0 })
  return filled
}

function StackedTimeline({ rows, codes, highlighted, tickFormat, brush, onBrush }: {
  rows: Row[]
  codes: string[]
  highlighted: string[]
  tickFormat: (iso: string) => string
  brush?: { startIndex: number; endIndex: number }
  onBrush?: (range: { startIndex: number; endIndex: number }) => void
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tickFormatter={tickFormat} minTickGap={40} fontSize={11} />
        <YAxis yAxisId="attempts" fontSize={11} allowDecimals={false} />
        <YAxis yAxisId="users" orientation="right" fontSize={11} allowDecimals={false} />
        {highlighted.map((bucket) => (
          <ReferenceArea key={bucket} yAxisId="attempts" x1={bucket} x2={bucket} fill="#b42318" fillOpacity={0.12} ifOverflow="hidden" />
        ))}
        <Tooltip labelFormatter={(label) => `${tickFormat(String(label))} UTC`} formatter={(value, name) => [Number(value).toLocaleString('en-US'), name]} />
        <Legend />
        {codes.map((code) => (
          // A bar never grows wider than this: one hour of activity is a bar, not a block across the chart.
          <Bar key={code} yAxisId="attempts" stackId="codes" dataKey={`code ${code}`} name={`Attempts, code ${code}`} fill={codeColor(code)} maxBarSize={40} isAnimationActive={false} />
        ))}
        <Line yAxisId="users" dataKey="usernames" name={TARGETED_LABEL} stroke="#0b5cad" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line yAxisId="users" dataKey="probedUsernames" name={PROBED_LABEL} stroke="#6b7a89" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
        {brush && onBrush && (
          <Brush
            dataKey="bucket"
            height={26}
            stroke="#0b5cad"
            startIndex={brush.startIndex}
            endIndex={brush.endIndex}
            tickFormatter={tickFormat}
            onChange={(range) => {
              if (range.startIndex !== undefined && range.endIndex !== undefined) onBrush({ startIndex: range.startIndex, endIndex: range.endIndex })
            }}
          />
        )}
      </ComposedChart>
    </ResponsiveContainer>
  )
}

/**
 * One source IP over the whole dataset: attempts per hour stacked by error code, distinct
 * usernames as a line, the hours with findings shaded. Drag the brush to zoom; at
 * FINE_ZOOM_HOURS or less a second chart shows 5-minute bins.
 */
export function IpTimelineChart({ ip, datasetIds, timeline, findingBuckets }: { ip: string; datasetIds: number[]; timeline: TimelinePoint[]; findingBuckets: string[] }) {
  const points = useMemo(() => fillHours(timeline), [timeline])
  const codes = useMemo(() => [...new Set(timeline.flatMap((p) => Object.keys(p.attemptsByCode)))].sort(), [timeline])
  const rows = useMemo(() => toRows(points, codes), [points, codes])
  const pathname = usePathname()
  const search = useSearchParams()
  const whole: ZoomRange = { startIndex: 0, endIndex: Math.max(0, points.length - 1) }
  // Without a zoom in the link, the chart opens where the activity is concentrated (lib/ips/timeline-zoom.ts).
  const opening = useMemo(() => initialZoom(points), [points])
  // The zoom travels in the URL (zoom=<first hour>,<last hour>, or zoom=all), so a shared link opens at it.
  const [range, setRangeState] = useState<ZoomRange>(() => {
    const asked = zoomFromParam(search.get('zoom'), points)
    return asked === 'whole' ? whole : (asked ?? opening ?? whole)
  })
  const isWhole = range.startIndex === 0 && range.endIndex === points.length - 1
  const setRange = (next: ZoomRange) => {
    setRangeState(next)
    const params = new URLSearchParams(window.location.search)
    const nextWhole = next.startIndex === 0 && next.endIndex === points.length - 1
    // The whole span needs saying only when the chart would otherwise open zoomed.
    if (nextWhole && !opening) params.delete('zoom')
    else params.set('zoom', nextWhole ? WHOLE_SPAN : zoomParam(points, next))
    const query = params.toString()
    window.history.replaceState(window.history.state, '', `${pathname}${query ? `?${query}` : ''}`)
  }
  const openedHere = opening !== null && range.startIndex === opening.startIndex && range.endIndex === opening.endIndex
  // Brush drags move the brush themselves; a button's change remounts it at the new indices.
  const [brushGeneration, setBrushGeneration] = useState(0)
  const zoomByButton = (next: ZoomRange) => {
    setBrushGeneration((g) => g + 1)
    setRange(next)
  }
  const [fine, setFine] = useState<{ rows: Row[]; codes: string[]; label: string } | null>(null)
  const [error, setError] = useState<string | null>(null)

  const zoomFrom = points[range.startIndex]?.bucket
  const zoomTo = points[range.endIndex]?.bucket
  const zoomHours = zoomFrom && zoomTo ? (Date.parse(zoomTo) - Date.parse(zoomFrom)) / HOUR + 1 : Infinity

  useEffect(() => {
    if (!zoomFrom || !zoomTo || zoomHours > FINE_ZOOM_HOURS) {
      setFine(null)
      return
    }
    const controller = new AbortController()
    const to = new Date(Date.parse(zoomTo) + HOUR).toISOString()
    const params = new URLSearchParams({ from: zoomFrom, to, bin: String(FINE_BIN_MINUTES) })
    for (const id of datasetIds) params.append('dataset', String(id))
    const timer = setTimeout(() => {
      fetch(`/api/ips/${encodeURIComponent(ip)}/timeline?${params.toString()}`, { signal: controller.signal })
        .then(async (response) => {
          if (!response.ok) throw new Error(`${response.status} ${response.statusText}`)
          const body = (await response.json()) as { timeline: TimelinePoint[] }
          const fineCodes = [...new Set(body.timeline.flatMap((p) => Object.keys(p.attemptsByCode)))].sort()
          const bins = fillBins(body.timeline, zoomFrom, to, FINE_BIN_MINUTES, (bucket) => ({ bucket, attemptsByCode: {}, attempts: 0, usernames: 0, probedUsernames: 0 }))
          setFine({ rows: toRows(bins, fineCodes), codes: fineCodes, label: `${formatHour(zoomFrom)} – ${formatHour(to)} UTC` })
          setError(null)
        })
        .catch((e: Error) => {
          if (!controller.signal.aborted) setError(e.message)
        })
    }, 250)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [ip, datasetIds, zoomFrom, zoomTo, zoomHours])

  if (rows.length === 0) return <p className="empty">No sign-ins with an error code from this IP.</p>
  const hourly = new Set(findingBuckets)
  return (
    <div>
      <div className="chart-box" data-testid="ip-timeline-chart">
        {/* Remounted on a button's zoom change: the brush only reads its indices when it mounts. */}
        <StackedTimeline
          key={brushGeneration}
          rows={rows}
          codes={codes}
          highlighted={points.filter((p) => hourly.has(p.bucket)).map((p) => p.bucket)}
          tickFormat={formatHour}
          brush={range}
          onBrush={setRange}
        />
      </div>
      <div className="toolbar" style={{ justifyContent: 'space-between', alignItems: 'baseline' }}>
        <p className="legend-note" style={{ margin: 0 }}>
          Shaded hours produced findings. Drag the handles under the chart to zoom (the link keeps the zoom); at {FINE_ZOOM_HOURS} hours or less the attempts are
          shown in {FINE_BIN_MINUTES}-minute bins below. Activity that spans {FINE_ZOOM_HOURS} hours or less opens there, and so does a longer span whose
          attempts are mostly in {FINE_ZOOM_HOURS} hours or less.
        </p>
        <span style={{ display: 'flex', gap: 8 }}>
          {openedHere && (
            <span className="muted" data-testid="timeline-opened-on">
              Opened on the busiest hours: {formatHour(points[range.startIndex].bucket)} – {formatHour(new Date(Date.parse(points[range.endIndex].bucket) + HOUR).toISOString())} UTC
            </span>
          )}
          {!isWhole && (
            <button type="button" onClick={() => zoomByButton(whole)} data-testid="timeline-whole-span">
              Show the whole span
            </button>
          )}
          {isWhole && opening && (
            <button type="button" onClick={() => zoomByButton(opening)} data-testid="timeline-busiest">
              Zoom to the busiest hours
            </button>
          )}
        </span>
      </div>
      {error && <p className="error-box">Could not load the 5-minute timeline: {error}</p>}
      {fine && (
        <section aria-label="Zoomed timeline">
          <h3>
            {FINE_BIN_MINUTES}-minute bins, {fine.label}
          </h3>
          <div className="chart-box small" data-testid="ip-fine-timeline-chart">
            <StackedTimeline rows={fine.rows} codes={fine.codes} highlighted={[]} tickFormat={(iso) => iso.slice(11, 16)} />
          </div>
        </section>
      )}
    </div>
  )
}
