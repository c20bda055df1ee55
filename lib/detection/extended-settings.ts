import { z } from 'zod'
import { DEFAULT_DETECTION_SETTINGS, detectionSettingsSchema } from './enumeration'

/**
 * A dataset's detection settings: the reference rule's (codes, thresholds, samples, window) and
 * what goes beyond it (sliding window, low-and-slow, escalation, campaigns). Defaults are the
 * rule's and the ones docs/detection.md explains; leads change them per dataset.
 */

/** Codes that mean the account exists; 50126/50057 are not in the rule but say so too. */
export const EXISTING_ACCOUNT_CODES = ['50053', '50055', '50056', '50126', '50057']
export const NOT_FOUND_CODES = ['50034']
/** Codes that mean the password was right (success, or stopped after the first factor). */
export const PASSWORD_RIGHT_CODES = ['0', '50055', '50074', '50076', '50079', '50158', '53003', '500121']

export const DEFAULT_EXTENDED_SETTINGS = {
  ...DEFAULT_DETECTION_SETTINGS,
  /** Length of the sliding window that finds bursts a clock hour splits. */
  slidingWindowMinutes: 60,
  /** Low-and-slow: distinct usernames per source over this long a window, with its own tiers. */
  lowAndSlowWindowHours: 24,
  lowAndSlowLowThreshold: 20,
  lowAndSlowModerateThreshold: 50,
  lowAndSlowHighThreshold: 100,
  /** How long after the probing a correct password still escalates the finding. */
  escalationHorizonDays: 7,
  /** Sources of one campaign are at most this far apart in time. */
  campaignGapHours: 6,
} as const

export const extendedSettingsSchema = z
  .object({
    errorCodes: z.array(z.string().trim().regex(/^\d+$/, 'error codes are digits')).min(1),
    lowThreshold: z.number().int().min(1),
    moderateThreshold: z.number().int().min(1),
    highThreshold: z.number().int().min(1),
    usernameSampleSize: z.number().int().min(0).max(1000),
    appListSize: z.number().int().min(0).max(1000),
    windowMinutes: z.number().int().min(1).max(7 * 24 * 60),
    slidingWindowMinutes: z.number().int().min(5).max(24 * 60),
    lowAndSlowWindowHours: z.number().int().min(2).max(30 * 24),
    lowAndSlowLowThreshold: z.number().int().min(1),
    lowAndSlowModerateThreshold: z.number().int().min(1),
    lowAndSlowHighThreshold: z.number().int().min(1),
    escalationHorizonDays: z.number().int().min(0).max(90),
    campaignGapHours: z.number().int().min(1).max(7 * 24),
  })
  .refine((s) => s.lowThreshold <= s.moderateThreshold && s.moderateThreshold <= s.highThreshold, { message: 'thresholds must rise: low ≤ moderate ≤ high' })
  .refine((s) => s.lowAndSlowLowThreshold <= s.lowAndSlowModerateThreshold && s.lowAndSlowModerateThreshold <= s.lowAndSlowHighThreshold, {
    message: 'low-and-slow thresholds must rise: low ≤ moderate ≤ high',
  })

export type ExtendedSettings = z.infer<typeof extendedSettingsSchema>

export function resolveExtendedSettings(stored: unknown = {}): ExtendedSettings {
  return extendedSettingsSchema.parse({ ...DEFAULT_EXTENDED_SETTINGS, ...(stored && typeof stored === 'object' ? stored : {}) })
}

/** The reference rule's part, for the detection queries. */
export function ruleSettings(settings: ExtendedSettings) {
  return detectionSettingsSchema.parse({
    errorCodes: settings.errorCodes,
    lowThreshold: settings.lowThreshold,
    moderateThreshold: settings.moderateThreshold,
    highThreshold: settings.highThreshold,
    usernameSampleSize: settings.usernameSampleSize,
    appListSize: settings.appListSize,
    windowMinutes: settings.windowMinutes,
  })
}

/** A suppression rule as detection, exports and the UI see it. */
export interface SuppressionRuleSpec {
  id: number
  name: string
  datasetId: number | null
  /** e.g. "198.51.100.20/32", "203.0.113.0/24", "2001:db8::/48" */
  cidr: string | null
  /** `*` wildcards, case-insensitive; a finding matches when every username matches. */
  upnPattern: string | null
  /** `*` wildcards, case-insensitive. */
  userAgentPattern: string | null
  appName: string | null
  reason: string
  ownerEmail: string | null
  expiresAt: string | null
  enabled: boolean
}
