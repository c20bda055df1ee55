import type { Pool } from 'pg'
import { sqlFile } from '@/lib/sql-file'
import { OTHER_IPS_SERIES, TIMELINE_NAMED_IPS, type CampaignTimeline } from './campaign-types'

const HOUR_MS = 3_600_000

/**
 * Attempts per hour stacked by source IP, from the hours the recompute keeps (campaign-details.ts).
 * The busiest TIMELINE_NAMED_IPS addresses keep their own series and the rest share one, so a
 * 40-address rotation still gets a readable legend.
 */
export async function campaignTimeline(pool: Pool, campaignId: number): Promise<CampaignTimeline> {
  const { rows } = await pool.query<{ hour: number; ip_address: string; attempts: number }>(sqlFile('campaigns/sql/campaign-timeline.sql'), [campaignId])
  const totals = new Map<string, number>()
  for (const row of rows) totals.set(row.ip_address, (totals.get(row.ip_address) ?? 0) + row.attempts)
  // Ties in code-unit order: addresses are ASCII, and localeCompare's collation cost more than the rest.
  const ranked = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([ip]) => ip)
  const named = new Set(ranked.length > TIMELINE_NAMED_IPS + 1 ? ranked.slice(0, TIMELINE_NAMED_IPS) : ranked)
  const series = ranked.filter((ip) => named.has(ip))
  if (named.size < ranked.length) series.push(OTHER_IPS_SERIES)

  // Rows come ordered by hour: a point ends where the hour changes.
  const points: CampaignTimeline['points'] = []
  let hour = Number.NaN
  let point: Record<string, number> = {}
  for (const row of rows) {
    if (row.hour !== hour) {
      hour = row.hour
      point = {}
      points.push({ bucket: new Date(hour * HOUR_MS).toISOString(), attemptsBySeries: point })
    }
    const name = named.has(row.ip_address) ? row.ip_address : OTHER_IPS_SERIES
    point[name] = (point[name] ?? 0) + row.attempts
  }
  return { series, otherIpCount: ranked.length - named.size, points }
}
