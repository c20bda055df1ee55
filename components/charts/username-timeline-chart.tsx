'use client'

import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts'
import type { FindingEvent } from '@/lib/findings/finding-details'
import { codeColor } from './code-colors'

const MAX_USERNAMES = 60

/**
 * Every attempt of a finding on one line per username across the bucket: how the attacker
 * walked the list, and which names came back as existing accounts.
 */
export function UsernameTimelineChart({ events, bucketStart, windowMinutes }: { events: FindingEvent[]; bucketStart: string; windowMinutes: number }) {
  const usernames = [...new Set(events.map((e) => e.userPrincipalName))].slice(0, MAX_USERNAMES)
  const index = new Map(usernames.map((u, i) => [u, i]))
  const start = Date.parse(bucketStart)
  const codes = [...new Set(events.map((e) => e.errorCode ?? '?'))].sort()
  const series = codes.map((code) => ({
    code,
    points: events
      .filter((e) => (e.errorCode ?? '?') === code && index.has(e.userPrincipalName))
      .map((e) => ({ minute: (Date.parse(e.createdAt) - start) / 60_000, row: index.get(e.userPrincipalName)!, user: e.userPrincipalName, time: e.createdAt })),
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
      {new Set(events.map((e) => e.userPrincipalName)).size > MAX_USERNAMES && (
        <p className="legend-note">The first {MAX_USERNAMES} usernames are shown; the table above lists all of them.</p>
      )}
    </div>
  )
}
