import { z } from 'zod'
import { getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'

/**
 * The reference enumeration rule run as SQL in PostgreSQL (docs/reference/reference-rule.md), with its
 * codes, thresholds, sample sizes and window as settings whose defaults are the rule's.
 */

import type { Verdict } from './verdicts'

export { VERDICTS, type Verdict } from './verdicts'

export const DEFAULT_DETECTION_SETTINGS = {
  errorCodes: ['50034', '50053', '50055', '50056'],
  lowThreshold: 10,
  moderateThreshold: 20,
  highThreshold: 50,
  usernameSampleSize: 25,
  appListSize: 10,
  windowMinutes: 60,
} as const

export const detectionSettingsSchema = z
  .object({
    errorCodes: z.array(z.string().trim().regex(/^\d+$/, 'error codes are digits')).min(1),
    lowThreshold: z.number().int().min(1),
    moderateThreshold: z.number().int().min(1),
    highThreshold: z.number().int().min(1),
    usernameSampleSize: z.number().int().min(0).max(1000),
    appListSize: z.number().int().min(0).max(1000),
    windowMinutes: z.number().int().min(1).max(7 * 24 * 60),
  })
  .refine((s) => s.lowThreshold <= s.moderateThreshold && s.moderateThreshold <= s.highThreshold, {
    message: 'thresholds must rise: low ≤ moderate ≤ high',
  })

export type DetectionSettings = z.infer<typeof detectionSettingsSchema>

export interface FindingsQuery {
  datasetIds: number[]
  from?: Date | null
  to?: Date | null
  settings?: Partial<DetectionSettings>
}

/** One finding, in the shape of the rule's output plus where it came from. */
export interface Finding {
  datasetId: number
  bucket: Date
  ipAddress: string
  clientAppUsed: string
  userAgent: string
  uniqueUsernames: number
  attemptCount: number
  usernameSample: string[]
  appList: string[]
  firstSeen: Date
  lastSeen: Date
  durationMinutes: number
  enumerationRatePerMin: number
  verdict: Verdict
}

/** A row of findings-from-*.sql as the driver returns it. */
export interface FindingRow {
  dataset_id: number
  bucket: Date
  ip_address: string
  client_app_used: string
  user_agent: string
  unique_usernames: number
  attempt_count: number
  username_sample: string[]
  app_list: string[]
  first_seen: Date
  last_seen: Date
  duration_minutes: number
  enumeration_rate_per_min: number
  verdict: Verdict
}

export type FindingsSource = 'rollup' | 'events'

export function resolveSettings(overrides: Partial<DetectionSettings> = {}): DetectionSettings {
  return detectionSettingsSchema.parse({ ...DEFAULT_DETECTION_SETTINGS, ...overrides })
}

/** The rollup keeps at most this many app names per row (lib/ingest/sql/merge-rollup.sql). */
const ROLLUP_APP_NAMES = 10

/**
 * The rollup holds whole UTC hours: it answers exactly when the window is whole hours and the
 * range starts and ends on a window boundary; anything else reads the raw events. It also keeps
 * only ROLLUP_APP_NAMES app names per row, so a longer AppList must come from the events too.
 */
export function chooseSource(
  windowMinutes: number,
  from?: Date | null,
  to?: Date | null,
  appListSize: number = DEFAULT_DETECTION_SETTINGS.appListSize,
): FindingsSource {
  const windowMs = windowMinutes * 60_000
  if (windowMinutes % 60 !== 0) return 'events'
  if (appListSize > ROLLUP_APP_NAMES) return 'events'
  const aligned = (d?: Date | null) => !d || d.getTime() % windowMs === 0
  return aligned(from) && aligned(to) ? 'rollup' : 'events'
}

/** The bound parameters $1-$10 of the detection queries (lib/detection/sql/findings-from-*.sql). */
export function detectionParameters(query: FindingsQuery, settings: DetectionSettings): unknown[] {
  return [
    query.datasetIds,
    settings.errorCodes,
    query.from ?? null,
    query.to ?? null,
    `${settings.windowMinutes} minutes`,
    settings.lowThreshold,
    settings.moderateThreshold,
    settings.highThreshold,
    settings.usernameSampleSize,
    settings.appListSize,
  ]
}

export async function findEnumeration(query: FindingsQuery, source?: FindingsSource): Promise<Finding[]> {
  const settings = resolveSettings(query.settings)
  const best = chooseSource(settings.windowMinutes, query.from, query.to, settings.appListSize)
  // The rollup's answer is exact only where chooseSource picks it; elsewhere it would be wrong.
  if (source === 'rollup' && best !== 'rollup') throw new Error('the hourly rollup cannot answer this query exactly (window, range or app list size): use the events')
  const chosen = source ?? best
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<FindingRow[]>(
    sqlFile(chosen === 'rollup' ? 'detection/sql/findings-from-rollup.sql' : 'detection/sql/findings-from-events.sql'),
    ...detectionParameters(query, settings),
  )
  return rows.map(toFinding)
}

export function toFinding(row: FindingRow): Finding {
  return {
    datasetId: row.dataset_id,
    bucket: new Date(row.bucket),
    ipAddress: row.ip_address,
    clientAppUsed: row.client_app_used,
    userAgent: row.user_agent,
    uniqueUsernames: Number(row.unique_usernames),
    attemptCount: Number(row.attempt_count),
    usernameSample: row.username_sample ?? [],
    appList: row.app_list ?? [],
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
    durationMinutes: Number(row.duration_minutes),
    enumerationRatePerMin: Number(row.enumeration_rate_per_min),
    verdict: row.verdict,
  }
}

/** The CLI's JSON contract: exactly these keys, times as ISO 8601 UTC with milliseconds. */
export function findingToJson(finding: Finding) {
  return {
    bucket: finding.bucket.toISOString(),
    ipAddress: finding.ipAddress,
    clientAppUsed: finding.clientAppUsed,
    userAgent: finding.userAgent,
    uniqueUsernames: finding.uniqueUsernames,
    attemptCount: finding.attemptCount,
    usernameSample: finding.usernameSample,
    appList: finding.appList,
    firstSeen: finding.firstSeen.toISOString(),
    lastSeen: finding.lastSeen.toISOString(),
    durationMinutes: finding.durationMinutes,
    enumerationRatePerMin: finding.enumerationRatePerMin,
    verdict: finding.verdict,
  }
}
