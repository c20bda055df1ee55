import type { ActiveSuppression, RuleContext, VerdictTier } from './context'
import { errorCodes, windowSpan } from './context'
import { headerLines, oneLine } from './header'
import { nameUuid } from './rule-id'
import { yamlComments, yamlLines, type YamlValue } from './yaml'

/**
 * The rule as Sigma: one base rule selecting the failed sign-ins, and Sigma v2 `value_count`
 * correlation rules that count distinct usernames per source and window, one per verdict tier
 * (Sigma has no case statement, but a correlation condition can be a range). Everything in one
 * multi-document YAML file, as the correlation specification lays out.
 */

const REFERENCES = ['https://attack.mitre.org/techniques/T1589/002/', 'https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes']
const TAGS = ['attack.reconnaissance', 'attack.t1589.002']
const FALSE_POSITIVES = [
  'Entra Connect / hybrid-join servers validating many accounts during sync windows',
  'Authorised red-team or penetration tests from ranges not yet excluded',
  'Identity-governance / access-certification platforms sweeping accounts from a fixed service IP',
]
const AUTHOR = 'Enumeration Triage'
const TIER_LEVEL: Record<VerdictTier['verdict'], string> = {
  'High Confidence Enumeration': 'critical',
  'Moderate Enumeration': 'high',
  'Low-Level Enumeration': 'medium',
}

/** Sigma values: `*` and `?` are wildcards and `\` escapes them, so literal ones are escaped. */
const sigmaLiteral = (text: string) => text.replace(/[\\*?]/g, (char) => `\\${char}`)
const sigmaWildcard = (pattern: string) => pattern.split('*').map(sigmaLiteral).join('*')

function suppressionFilter(rule: ActiveSuppression): { key: string; comments: string[]; selection: YamlValue } {
  const selection: Record<string, YamlValue> = {}
  if (rule.cidr) selection['IPAddress|cidr'] = rule.cidr.text
  if (rule.userAgentPattern) selection.UserAgent = sigmaWildcard(rule.userAgentPattern)
  if (rule.appName) selection.AppDisplayName = sigmaLiteral(rule.appName)
  if (rule.upnPattern) selection.UserPrincipalName = sigmaWildcard(rule.upnPattern)
  const comments = [`Suppression #${rule.id} "${oneLine(rule.name)}": ${oneLine(rule.reason)} (expires ${rule.expiresAt ?? 'never'})`]
  if (rule.upnPattern || rule.appName) {
    comments.push(
      'Approximation: Sigma filters single events, so sign-ins matching every criterion here are dropped before counting;',
      'the product instead leaves out a whole group when every username matches the UPN pattern and the app is among its apps.',
    )
  }
  return { key: `filter_optional_suppression_${rule.id}`, comments, selection }
}

function seedOf(context: RuleContext): string {
  const { settings, meta } = context
  return JSON.stringify({
    dataset: meta.datasetName,
    errorCodes: [...errorCodes(settings)].sort(),
    thresholds: [settings.lowThreshold, settings.moderateThreshold, settings.highThreshold],
    windowMinutes: settings.windowMinutes,
  })
}

function baseRule(context: RuleContext, id: string, name: string): string[] {
  const { settings, meta, suppressions } = context
  const codes = errorCodes(settings)
  const filters = suppressions.map(suppressionFilter)
  const condition = ['selection', 'not 1 of filter_main_*', ...(filters.length > 0 ? ['not 1 of filter_optional_*'] : [])].join(' and ')
  const head: Record<string, YamlValue> = {
    title: `Failed Entra ID sign-ins counted for username enumeration (${oneLine(meta.datasetName)})`,
    id,
    name,
    status: 'experimental',
    description:
      `Failed sign-ins with error code${codes.length > 1 ? 's' : ''} ${codes.join(', ')} and a non-empty IP address and user principal name: the events the ` +
      'value_count correlation rules in this file count. The reference rule counts interactive and non-interactive sign-ins: map ' +
      'service signinlogs to both SigninLogs and AADNonInteractiveUserSignInLogs in your pipeline. On its own a single match is not an alert.',
    references: REFERENCES,
    author: AUTHOR,
    date: meta.generatedAt.toISOString().slice(0, 10),
    tags: TAGS,
    logsource: { product: 'azure', service: 'signinlogs' },
  }
  const detection: string[] = [
    ...yamlLines({
      selection: { ResultType: codes },
      filter_main_ip_empty: { IPAddress: '' },
      filter_main_ip_null: { IPAddress: null },
      filter_main_upn_empty: { UserPrincipalName: '' },
      filter_main_upn_null: { UserPrincipalName: null },
    }),
  ]
  for (const filter of filters) detection.push(...yamlComments(filter.comments), ...yamlLines({ [filter.key]: filter.selection }))
  detection.push(...yamlLines({ condition }))
  return [
    ...yamlLines(head),
    'detection:',
    ...detection.map((line) => `  ${line}`),
    ...yamlLines({
      fields: ['IPAddress', 'ClientAppUsed', 'UserAgent', 'UserPrincipalName', 'AppDisplayName', 'ResultType'],
      falsepositives: FALSE_POSITIVES,
      level: 'informational',
    }),
  ]
}

function tierRule(context: RuleContext, tier: VerdictTier, seed: string, baseName: string): string[] {
  const { settings, meta } = context
  const range = tier.below === null ? `${tier.from} or more` : `${tier.from} to ${tier.below - 1}`
  const condition: Record<string, YamlValue> = { field: 'UserPrincipalName', gte: tier.from, ...(tier.below === null ? {} : { lt: tier.below }) }
  return yamlLines({
    title: `${tier.verdict}: ${range} distinct usernames from one source in ${settings.windowMinutes} minutes (${oneLine(meta.datasetName)})`,
    id: nameUuid(`${seed}|${tier.verdict}`),
    status: 'experimental',
    description:
      `"${tier.verdict}" in the reference rule: ${range} distinct user principal names failing from one IP address, client app and user agent ` +
      `within ${settings.windowMinutes} minutes. The reference rule lower-cases UPNs and uses fixed UTC windows; how distinct values are ` +
      'compared and how the timespan is placed is up to the backend.',
    references: REFERENCES,
    author: AUTHOR,
    date: meta.generatedAt.toISOString().slice(0, 10),
    tags: TAGS,
    correlation: {
      type: 'value_count',
      rules: [baseName],
      'group-by': ['IPAddress', 'ClientAppUsed', 'UserAgent'],
      timespan: windowSpan(settings.windowMinutes),
      condition,
    },
    falsepositives: FALSE_POSITIVES,
    level: TIER_LEVEL[tier.verdict],
  })
}

export function toSigma(context: RuleContext): string {
  const seed = seedOf(context)
  const id = nameUuid(seed)
  const name = `enumeration_triage_failed_signins_${id.slice(0, 8)}`
  // Tiers whose range is empty (equal thresholds) would never match; the tier above covers them.
  const tiers = [...context.tiers].reverse().filter((tier) => tier.below === null || tier.from < tier.below)
  const documents = [baseRule(context, id, name), ...tiers.map((tier) => tierRule(context, tier, seed, name))]
  const header = yamlComments([
    ...headerLines(context),
    'Sigma form: a base rule plus one value_count correlation rule per verdict tier (lowest first).',
    'Duration, rate per minute, samples and ordering are not expressible in Sigma; the SIEM query exports carry them.',
  ])
  return `${[header.join('\n'), ...documents.map((lines, i) => (i === 0 ? lines : ['---', ...lines]).join('\n'))].join('\n')}\n`
}
