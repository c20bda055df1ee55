'use client'

import { useMemo } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { OTHER_IPS_SERIES, type CampaignTimeline } from '@/lib/campaigns/campaign-types'
import { fromTimelineSeries, type TimelineSeries } from '@/lib/campaigns/timeline-series'
import { formatHour } from '@/components/ui/format'
import { useHydrated } from '@/components/ui/server-rows'

const HOUR = 3_600_000
/** A campaign spanning more hours than this is drawn without the empty hours in between. */
const MAX_FILLED_HOURS = 24 * 60

// Distinguishable on white and in print; the shared "other IPs" series is always grey.
const PALETTE = ['#0b5cad', '#d1495b', '#edae49', '#00798c', '#6a4c93', '#3d9970', '#b86125', '#30638e', '#a23b72', '#5c946e']
const OTHER_COLOUR = '#9aa4ae'

type Row = { bucket: string } & Record<string, number | string>

function toRows(timeline: CampaignTimeline): Row[] {
  const points = timeline.points
  if (points.length === 0) return []
  const byTime = new Map(points.map((p) => [Date.parse(p.bucket), p.attemptsBySeries]))
  const first = Date.parse(points[0].bucket)
  const last = Date.parse(points[points.length - 1].bucket)
  const hours = (last - first) / HOUR
  const times = hours <= MAX_FILLED_HOURS ? Array.from({ length: hours + 1 }, (_, i) => first + i * HOUR) : [...byTime.keys()]
  return times.map((t) => {
    const row: Row = { bucket: new Date(t).toISOString() }
    for (const series of timeline.series) row[series] = byTime.get(t)?.[series] ?? 0
    return row
  })
}

/** Failed attempts per UTC hour, stacked by source IP: how the campaign moved between addresses. */
export function CampaignTimelineChart({ series: sent }: { series: TimelineSeries }) {
  // The chart is drawn in the browser only (its container measures itself), so its rows are built
  // there: on the server, a month-long campaign's 720 hours × 11 series were work for an empty box.
  const hydrated = useHydrated()
  const rows = useMemo(() => (hydrated ? toRows(fromTimelineSeries(sent)) : []), [sent, hydrated])
  if (sent.hours.length === 0) return <p className="empty">No attempts of this campaign in the hourly rollup.</p>
  return (
    <div className="chart-box" data-testid="campaign-timeline-chart">
      {hydrated && (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="bucket" tickFormatter={formatHour} minTickGap={40} fontSize={11} />
            <YAxis fontSize={11} allowDecimals={false} />
            <Tooltip labelFormatter={(label) => `${formatHour(String(label))} UTC`} formatter={(value, name) => [Number(value).toLocaleString('en-US'), name]} />
            <Legend />
            {sent.series.map((series, i) => (
              <Bar
                key={series}
                dataKey={series}
                name={series === OTHER_IPS_SERIES ? `${sent.otherIpCount} ${OTHER_IPS_SERIES}` : series}
                stackId="ips"
                fill={series === OTHER_IPS_SERIES ? OTHER_COLOUR : PALETTE[i % PALETTE.length]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  )
}
