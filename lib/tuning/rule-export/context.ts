import type { ExtendedSettings, SuppressionRuleSpec } from '@/lib/detection/extended-settings'
import { VERDICTS, type Verdict } from '@/lib/detection/verdicts'
import { parseCidr } from '@/lib/ips/cidr'

/**
 * What every language's export is built from: the settings, the suppressions still in force at
 * export time, the verdict tiers and the header text. Kept language-neutral so the four exports
 * cannot drift apart on which rules apply or how the tiers are cut.
 */

export interface ExportMeta {
  datasetName: string
  generatedAt: Date
}

export interface ActiveSuppression {
  id: number
  name: string
  reason: string
  expiresAt: string | null
  cidr: { text: string; family: 'ipv4' | 'ipv6' } | null
  /** Lower-cased: the UPNs it is compared with are lower-cased before grouping. */
  upnPattern: string | null
  userAgentPattern: string | null
  appName: string | null
}

export interface VerdictTier {
  verdict: Verdict
  /** Distinct usernames from which this tier applies. */
  from: number
  /** First count of the next tier up, or null for the top tier. */
  below: number | null
}

export interface RuleContext {
  settings: ExtendedSettings
  meta: ExportMeta
  suppressions: ActiveSuppression[]
  /** How many rules were passed but are disabled, expired or empty. */
  leftOut: number
  /** Strongest first, as the reference rule's case statement tests them. */
  tiers: VerdictTier[]
}

function exportedCidr(text: string): ActiveSuppression['cidr'] {
  const range = parseCidr(text)
  // The database column is of type cidr, so only a hand-built spec can get here; exporting a
  // query that silently ignores the range would suppress less than the lead believes.
  if (!range) throw new Error(`suppression has an invalid CIDR: ${text.trim().slice(0, 60)}`)
  return range
}

/**
 * Active = enabled and not yet expired at the export's own time (an expiry equal to that time
 * counts as expired). A rule past its expiry can match nothing a scheduled SIEM rule sees from
 * then on, so it is left out, while the product keeps applying it to the findings of the past
 * that ended by it. An unreadable expiry counts as expired: exporting a rule
 * that hides attacks is worse than leaving one out.
 */
export function isActive(rule: SuppressionRuleSpec, at: Date): boolean {
  if (!rule.enabled) return false
  if (rule.expiresAt === null) return true
  const expires = Date.parse(rule.expiresAt)
  return Number.isFinite(expires) && expires > at.getTime()
}

function toActive(rule: SuppressionRuleSpec): ActiveSuppression | null {
  const blank = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim())
  const cidr = blank(rule.cidr)
  const upn = blank(rule.upnPattern)
  const userAgent = blank(rule.userAgentPattern)
  const app = blank(rule.appName)
  // A rule with no criterion would match every finding; the product refuses to save one.
  if (!cidr && !upn && !userAgent && !app) return null
  return {
    id: rule.id,
    name: rule.name,
    reason: rule.reason,
    expiresAt: rule.expiresAt,
    cidr: cidr ? exportedCidr(cidr) : null,
    upnPattern: upn ? upn.toLowerCase() : null,
    userAgentPattern: userAgent,
    appName: app,
  }
}

export function verdictTiers(settings: ExtendedSettings): VerdictTier[] {
  const [high, moderate, low] = VERDICTS
  return [
    { verdict: high, from: settings.highThreshold, below: null },
    { verdict: moderate, from: settings.moderateThreshold, below: settings.highThreshold },
    { verdict: low, from: settings.lowThreshold, below: settings.moderateThreshold },
  ]
}

export function buildContext(settings: ExtendedSettings, suppressions: SuppressionRuleSpec[], meta: ExportMeta): RuleContext {
  const active = suppressions
    .filter((rule) => isActive(rule, meta.generatedAt))
    .map(toActive)
    .filter((rule): rule is ActiveSuppression => rule !== null)
    .sort((a, b) => a.id - b.id)
  return { settings, meta, suppressions: active, leftOut: suppressions.length - active.length, tiers: verdictTiers(settings) }
}

/** The codes once each, in the order the lead listed them. */
export function errorCodes(settings: ExtendedSettings): string[] {
  return [...new Set(settings.errorCodes.map((code) => code.trim()))]
}

/** A window as the shortest exact timespan literal (1h rather than 60m); KQL and Sigma share the form. */
export function windowSpan(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`
  if (minutes % 60 === 0) return `${minutes / 60}h`
  return `${minutes}m`
}
