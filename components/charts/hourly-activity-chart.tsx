'use client'

import { useRouter } from 'next/navigation'
import { useMemo } from 'react'
import { Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { HourlyActivity } from '@/lib/overview/get-overview'
import { fromHourlySeries, type HourlySeries } from '@/lib/overview/hourly-series'
import { formatHour } from '@/components/ui/format'
import { useHydrated } from '@/components/ui/server-rows'
import { TIER_COLORS } from './code-colors'

const HOUR = 3_600_000
const MAX_FILLED_HOURS = 24 * 90

/** Hours without activity are drawn as empty, so the time axis stays linear. */
function withEmptyHours(points: HourlyActivity[]): HourlyActivity[] {
  if (points.length < 2) return points
  const first = Date.parse(points[0].bucket)
  const last = Date.parse(points[points.length - 1].bucket)
  if ((last - first) / HOUR > MAX_FILLED_HOURS) return points
  const byTime = new Map(points.map((p) => [Date.parse(p.bucket), p]))
  const filled: HourlyActivity[] = []
  for (let t = first; t <= last; t += HOUR) {
    filled.push(byTime.get(t) ?? { bucket: new Date(t).toISOString(), failedSignIns: 0, targetedUsernames: 0, high: 0, moderate: 0, low: 0 })
  }
  return filled
}

function barColor(point: HourlyActivity): string {
  if (point.high) return TIER_COLORS.high
  if (point.moderate) return TIER_COLORS.moderate
  if (point.low) return TIER_COLORS.low
  return '#9fb3c8'
}

/**
 * Failed sign-ins (bars, coloured by the highest tier found in the hour) and distinct targeted
 * usernames (line, rule codes) per UTC hour. Clicking an hour shows what explains it.
 */
export function HourlyActivityChart({ series, datasetId }: { series: HourlySeries; datasetId: number | null }) {
  const router = useRouter()
  // Drawn in the browser only (the container measures itself): the points, a month's 721 hours,
  // and a bar colour each, are built there, not for an empty box on the server.
  const hydrated = useHydrated()
  const points = useMemo(() => (hydrated ? withEmptyHours(fromHourlySeries(series)) : []), [series, hydrated])
  // The hour opens below the chart with what explains it (findings of every kind, campaigns).
  const open = (point: HourlyActivity) => {
    const params = new URLSearchParams({ hour: point.bucket })
    if (datasetId) params.set('dataset', String(datasetId))
    router.push(`/?${params.toString()}#hour`)
  }
  return (
    <div className="chart-box" data-testid="hourly-activity-chart">
      {hydrated && (
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="bucket" tickFormatter={formatHour} minTickGap={48} fontSize={11} />
            <YAxis yAxisId="attempts" fontSize={11} allowDecimals={false} />
            <YAxis yAxisId="users" orientation="right" fontSize={11} allowDecimals={false} />
            <Tooltip
              labelFormatter={(label) => `${formatHour(String(label))} UTC`}
              formatter={(value, name) => [Number(value).toLocaleString('en-US'), name]}
            />
            <Legend />
            <Bar
              yAxisId="attempts"
              dataKey="failedSignIns"
              name="Failed sign-ins (rule codes)"
              fill="#9fb3c8"
              isAnimationActive={false}
              cursor="pointer"
              onClick={(entry) => open((entry as unknown as { payload: HourlyActivity }).payload)}
            >
              {points.map((p) => (
                <Cell key={p.bucket} fill={barColor(p)} data-bucket={p.bucket} />
              ))}
            </Bar>
            <Line yAxisId="users" dataKey="targetedUsernames" name="Targeted usernames (rule codes)" stroke="#0b5cad" dot={false} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </div>
  )
}
