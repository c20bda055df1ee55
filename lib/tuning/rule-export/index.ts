import type { ExtendedSettings, SuppressionRuleSpec } from '@/lib/detection/extended-settings'
import { buildContext, type ExportMeta, type RuleContext } from './context'
import { toCql } from './cql'
import { toKql } from './kql'
import { toSigma } from './sigma'
import { toSpl } from './spl'

/**
 * The tuned reference rule for the SIEM a team already runs: Sentinel (KQL), Splunk (SPL),
 * LogScale (CQL) or any Sigma backend, built from a dataset's current settings and the
 * suppressions in force at `meta.generatedAt`. The caller scopes the suppressions (the dataset's
 * and the global ones, as listSuppressions(datasetId) returns them); disabled and expired rules
 * are left out here.
 */

export const RULE_LANGUAGES = ['kql', 'spl', 'cql', 'sigma'] as const
export type RuleLanguage = (typeof RULE_LANGUAGES)[number]

export type { ExportMeta } from './context'

export interface RuleExport {
  fileName: string
  contentType: string
  text: string
}

interface Format {
  render: (context: RuleContext) => string
  fileName: (slug: string, day: string) => string
  contentType: string
}

const TEXT = 'text/plain; charset=utf-8'

const FORMATS: Record<RuleLanguage, Format> = {
  kql: { render: toKql, fileName: (slug, day) => `enumeration-triage-${slug}-${day}.kql`, contentType: TEXT },
  spl: { render: toSpl, fileName: (slug, day) => `enumeration-triage-${slug}-${day}.spl`, contentType: TEXT },
  cql: { render: toCql, fileName: (slug, day) => `enumeration-triage-${slug}-${day}.cql`, contentType: TEXT },
  // Sigma file names are lower-case letters, digits and underscores, at most 70 characters,
  // `mr_` for files holding correlation ("meta") rules.
  sigma: { render: toSigma, fileName: (slug, day) => `mr_enumeration_triage_${slug.replace(/-/g, '_').slice(0, 30).replace(/_+$/, '')}_${day}.yml`, contentType: 'application/yaml; charset=utf-8' },
}

function slugOf(datasetName: string): string {
  const slug = datasetName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return slug || 'dataset'
}

export function isRuleLanguage(value: unknown): value is RuleLanguage {
  return typeof value === 'string' && (RULE_LANGUAGES as readonly string[]).includes(value)
}

export function exportRule(language: RuleLanguage, settings: ExtendedSettings, suppressions: SuppressionRuleSpec[], meta: ExportMeta): RuleExport {
  const format = FORMATS[language]
  const day = meta.generatedAt.toISOString().slice(0, 10).replace(/-/g, '')
  return {
    fileName: format.fileName(slugOf(meta.datasetName), day),
    contentType: format.contentType,
    text: format.render(buildContext(settings, suppressions, meta)),
  }
}
