import type { ClientBase } from 'pg'
import { campaignErrorCodes, LINKING } from '@/lib/campaigns/linking-rules'
import { refreshCampaigns } from '@/lib/campaigns/refresh-campaigns'
import { EXISTING_ACCOUNT_CODES, NOT_FOUND_CODES, PASSWORD_RIGHT_CODES, ruleSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { detectionParameters } from '@/lib/detection/enumeration'
import { sqlFile } from '@/lib/sql-file'
import { datasetSettings } from '@/lib/tuning/dataset-settings'
import { refreshFindings, upsertFindingsSql } from './refresh-findings'

/**
 * Everything derived from a dataset's events, recomputed in the caller's transaction (each
 * import's, or a settings change's), in dependency order:
 *   1. the reference rule's hourly findings (parity mode);
 *   2. sliding-window peaks: laid over the hourly findings they overlap (the "split by the hour"
 *      badge), or findings of their own where no fixed hour caught them;
 *   3. low-and-slow findings over a long window, for sources that mostly fail (not an office
 *      NAT's day of typos), where no shorter finding covers the source;
 *   4. campaigns across rotating IPs and user agents;
 *   5. the enumeration yield of every finding (names not found vs accounts confirmed);
 *   6. escalations: a probed account whose password later proved right;
 *   7. suppressions.
 */

interface WindowRow {
  ip_address: string
  client_app_used: string
  user_agent: string
  window_start: Date
  unique_usernames: number
}

/** The strongest non-overlapping windows of each source: the peaks worth reporting. */
export function peaks(windows: WindowRow[], windowMs: number): WindowRow[] {
  const bySource = new Map<string, WindowRow[]>()
  for (const w of windows) {
    const key = JSON.stringify([w.ip_address, w.client_app_used, w.user_agent])
    bySource.set(key, [...(bySource.get(key) ?? []), w])
  }
  const chosen: WindowRow[] = []
  for (const list of bySource.values()) {
    const ranked = [...list].sort((a, b) => b.unique_usernames - a.unique_usernames || a.window_start.getTime() - b.window_start.getTime())
    const taken: WindowRow[] = []
    for (const w of ranked) {
      const start = w.window_start.getTime()
      if (taken.every((t) => start + windowMs <= t.window_start.getTime() || t.window_start.getTime() + windowMs <= start)) taken.push(w)
    }
    chosen.push(...taken)
  }
  return chosen.sort((a, b) => a.window_start.getTime() - b.window_start.getTime())
}

function windowParameters(datasetId: number, settings: ExtendedSettings, windowMinutes: number, threshold: number): unknown[] {
  return [datasetId, settings.errorCodes, null, null, `${windowMinutes} minutes`, threshold]
}

/** Stores windows as findings of a kind, with the rule's measures (describe-windows.sql). */
async function storeWindowFindings(
  db: ClientBase,
  datasetId: number,
  kind: 'sliding' | 'low_and_slow',
  windows: WindowRow[],
  rule: { windowMinutes: number; low: number; moderate: number; high: number },
  settings: ExtendedSettings,
): Promise<void> {
  const sql = upsertFindingsSql(kind, sqlFile('detection/sql/describe-windows.sql'))
  const base = detectionParameters(
    { datasetIds: [datasetId] },
    { ...ruleSettings(settings), windowMinutes: rule.windowMinutes, lowThreshold: rule.low, moderateThreshold: rule.moderate, highThreshold: rule.high },
  )
  await db.query(sql, [
    ...base,
    windows.map((w) => w.ip_address),
    windows.map((w) => w.client_app_used),
    windows.map((w) => w.user_agent),
    windows.map((w) => w.window_start),
  ])
}

async function refreshSlidingFindings(db: ClientBase, datasetId: number, settings: ExtendedSettings): Promise<void> {
  const minutes = settings.slidingWindowMinutes
  const { rows } = await db.query<WindowRow>(sqlFile('detection/sql/sliding-windows.sql'), [
    ...windowParameters(datasetId, settings, minutes, settings.lowThreshold),
    settings.moderateThreshold,
    settings.highThreshold,
  ])
  const top = peaks(rows, minutes * 60_000)
  await db.query(sqlFile('findings/sql/clear-sliding-peaks.sql'), [datasetId])
  const unmatched = await db.query<{ ord: number }>(sqlFile('findings/sql/annotate-sliding-peaks.sql'), [
    datasetId,
    top.map((w) => w.ip_address),
    top.map((w) => w.client_app_used),
    top.map((w) => w.user_agent),
    top.map((w) => w.window_start),
    top.map((w) => w.unique_usernames),
    `${minutes} minutes`,
    settings.lowThreshold,
    settings.moderateThreshold,
    settings.highThreshold,
  ])
  const own = unmatched.rows.map((r) => top[r.ord - 1])
  await storeWindowFindings(db, datasetId, 'sliding', own, { windowMinutes: minutes, low: settings.lowThreshold, moderate: settings.moderateThreshold, high: settings.highThreshold }, settings)
}

async function refreshLowAndSlowFindings(db: ClientBase, datasetId: number, settings: ExtendedSettings): Promise<void> {
  const minutes = settings.lowAndSlowWindowHours * 60
  const { rows } = await db.query<WindowRow>(sqlFile('detection/sql/long-windows.sql'), [
    ...windowParameters(datasetId, settings, minutes, settings.lowAndSlowLowThreshold),
    LINKING.minFailureShare,
    campaignErrorCodes(settings),
  ])
  const top = peaks(rows, minutes * 60_000)
  // A long window over a burst the shorter windows already report adds nothing: keep the slow ones.
  const { rows: covered } = await db.query<{ ip_address: string; client_app_used: string; user_agent: string; bucket: Date; window_minutes: number }>(
    sqlFile('findings/sql/short-window-findings.sql'),
    [datasetId],
  )
  const slow = top.filter(
    (w) =>
      !covered.some(
        (f) =>
          f.ip_address === w.ip_address &&
          f.client_app_used === w.client_app_used &&
          f.user_agent === w.user_agent &&
          f.bucket.getTime() < w.window_start.getTime() + minutes * 60_000 &&
          f.bucket.getTime() + f.window_minutes * 60_000 > w.window_start.getTime(),
      ),
  )
  await storeWindowFindings(
    db,
    datasetId,
    'low_and_slow',
    slow,
    { windowMinutes: minutes, low: settings.lowAndSlowLowThreshold, moderate: settings.lowAndSlowModerateThreshold, high: settings.lowAndSlowHighThreshold },
    settings,
  )
}

export async function refreshAllFindings(db: ClientBase, datasetId: number): Promise<ExtendedSettings> {
  const settings = await datasetSettings(datasetId, db)
  await refreshFindings(db, datasetId, ruleSettings(settings))
  await refreshSlidingFindings(db, datasetId, settings)
  await refreshLowAndSlowFindings(db, datasetId, settings)
  await refreshCampaigns(db, datasetId, settings)
  await db.query(sqlFile('findings/sql/findings-yield.sql'), [datasetId, EXISTING_ACCOUNT_CODES, NOT_FOUND_CODES])
  await db.query(sqlFile('findings/sql/finding-escalations.sql'), [
    datasetId,
    PASSWORD_RIGHT_CODES,
    `${settings.escalationHorizonDays} days`,
    EXISTING_ACCOUNT_CODES,
    campaignErrorCodes(settings),
    LINKING.minFailureShare,
  ])
  await db.query(sqlFile('findings/sql/apply-suppressions.sql'), [datasetId])
  return settings
}
