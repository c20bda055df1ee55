'use client'

import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts'
import type { UsernameTimeline } from '@/lib/findings/username-timeline'
import { codeColor } from './code-colors'

/**
 * Every attempt of a finding on one line per username across the bucket: how the attacker
 * walked the list, and which names came back as existing accounts. The points come reduced from
 * the server (lib/findings/username-timeline.ts); names and times are rebuilt here for display.
 */
export function UsernameTimelineChart({ timeline, bucketStart, windowMinutes }: { timeline: UsernameTimeline; bucketStart: string; windowMinutes: number }) {
  const { usernames } = timeline
  const start = Date.parse(bucketStart)
  const series = timeline.series.map((s) => ({
    code: s.code,
    points: s.points.map(([minute, row]) => ({ minute, row, user: usernames[row], time: new Date(start + Math.round(minute * 60_000)).toISOString() })),
  }))
  const height = Math.max(160, usernames.length * 14 + 70)
  return (
    <div style={{ width: '100%', height }} data-testid="username-timeline-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="minute" domain={[0, windowMinutes]} name="Minute" unit=" min" fontSize={11} allowDecimals={false} />
          <YAxis
            type="number"
            dataKey="row"
            domain={[-0.5, usernames.length - 0.5]}
            ticks={usernames.map((_, i) => i)}
            tickFormatter={(i: number) => usernames[i] ?? ''}
            width={220}
            fontSize={10}
            reversed
            interval={0}
          />
          <Tooltip
            cursor={{ strokeDasharray: '3 3' }}
            content={({ payload }) => {
              const p = payload?.[0]?.payload as { user: string; time: string } | undefined
              return p ? (
                <div className="panel" style={{ padding: 8 }}>
                  <div className="mono">{p.user}</div>
                  <div className="muted">{p.time.replace('T', ' ').replace('Z', ' UTC')}</div>
                </div>
              ) : null
            }}
          />
          <Legend />
          {series.map((s) => (
            <Scatter key={s.code} name={`code ${s.code}`} data={s.points} fill={codeColor(s.code)} isAnimationActive={false} />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
      {timeline.totalUsernames > usernames.length && (
        <p className="legend-note">The first {usernames.length} usernames are shown; the table above lists all of them.</p>
      )}
    </div>
  )
}
