import type { ActiveSuppression, RuleContext } from './context'
import { errorCodes, windowSpan } from './context'
import { headerLines, oneLine } from './header'
import { wildcardRegex } from './patterns'

/**
 * The rule as a Microsoft Sentinel / Log Analytics query (KQL). Interactive and non-interactive
 * sign-ins live in two tables there, so the query reads their union.
 */

/**
 * A regular (not verbatim) string literal: the only escapes KQL needs are \\, \" and controls.
 * C1 controls and U+2028/U+2029 go as \uXXXX too, so the query stays one line in any editor.
 */
export function kqlString(value: string): string {
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => {
    if (char === '\\' || char === '"') return `\\${char}`
    if (char === '\n') return '\\n'
    if (char === '\r') return '\\r'
    if (char === '\t') return '\\t'
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
  return `"${escaped}"`
}

const matchesPattern = (column: string, pattern: string) => `${column} matches regex ${kqlString(`(?i)${wildcardRegex(pattern)}`)}`

/** Column names of the per-group counts a suppression needs beyond the group keys. */
const upnMisses = (rule: ActiveSuppression) => `Suppression${rule.id}UpnMisses`
const appHits = (rule: ActiveSuppression) => `Suppression${rule.id}AppHits`

function suppressionAggregates(rules: ActiveSuppression[]): string[] {
  const columns: string[] = []
  for (const rule of rules) {
    if (rule.upnPattern) columns.push(`${upnMisses(rule)} = countif(not(${matchesPattern('UserPrincipalName', rule.upnPattern)}))`)
    if (rule.appName) columns.push(`${appHits(rule)} = countif(AppDisplayName == ${kqlString(rule.appName)})`)
  }
  return columns
}

function suppressionFilter(rule: ActiveSuppression): string {
  const conditions: string[] = []
  if (rule.cidr) {
    // ipv4_is_in_range gives null for an IPv6 source, and `where not(null)` would drop the row.
    const test = rule.cidr.family === 'ipv4' ? 'ipv4_is_in_range' : 'ipv6_is_match'
    conditions.push(`coalesce(${test}(IPAddress, ${kqlString(rule.cidr.text)}), false)`)
  }
  if (rule.userAgentPattern) conditions.push(matchesPattern('UserAgent', rule.userAgentPattern))
  if (rule.appName) conditions.push(`${appHits(rule)} > 0`)
  if (rule.upnPattern) conditions.push(`${upnMisses(rule)} == 0`)
  // As in the product: a rule covers a group that ended by its expiry, nothing that reaches past it.
  if (rule.expiresAt) conditions.push(`LastSeen <= datetime(${new Date(rule.expiresAt).toISOString()})`)
  return `| where not(${conditions.join(' and ')})`
}

export function toKql(context: RuleContext): string {
  const { settings, suppressions, tiers } = context
  const codes = errorCodes(settings).map(kqlString).join(', ')
  const aggregates = [
    // Exact: dcount() is an estimate, and the threshold is a hard cut.
    'UniqueUsernames = array_length(make_set(UserPrincipalName))',
    'AttemptCount = count()',
    ...(settings.usernameSampleSize > 0 ? [`UsernameSample = make_set(UserPrincipalName, ${settings.usernameSampleSize})`] : []),
    ...(settings.appListSize > 0 ? [`AppList = make_set_if(AppDisplayName, isnotempty(AppDisplayName), ${settings.appListSize})`] : []),
    'FirstSeen = min(EventTime)',
    'LastSeen = max(EventTime)',
    ...suppressionAggregates(suppressions),
  ]
  const output = [
    'Bucket', 'IPAddress', 'ClientAppUsed', 'UserAgent', 'UniqueUsernames', 'AttemptCount', 'EnumerationRatePerMin', 'DurationMinutes', 'Verdict', 'FirstSeen', 'LastSeen',
    ...(settings.usernameSampleSize > 0 ? ['UsernameSample'] : []),
    ...(settings.appListSize > 0 ? ['AppList'] : []),
  ]
  const [high, moderate, low] = tiers
  const lines = [
    ...headerLines(context).map((line) => `// ${line}`),
    '// isfuzzy: a workspace without the non-interactive table still runs the query.',
    'union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs',
    `| where ResultType in (${codes})`,
    '| extend IPAddress = trim(@"\\s+", IPAddress), UserPrincipalName = tolower(trim(@"\\s+", UserPrincipalName))',
    '| where isnotempty(IPAddress) and isnotempty(UserPrincipalName)',
    '// The sign-in time: TimeGenerated is the ingestion time, seconds to minutes later.',
    '| extend EventTime = coalesce(CreatedDateTime, TimeGenerated)',
    `| summarize ${aggregates.join(', ')}`,
    `    by IPAddress, ClientAppUsed, UserAgent, Bucket = bin(EventTime, ${windowSpan(settings.windowMinutes)})`,
    `| where UniqueUsernames >= ${low.from}`,
  ]
  for (const rule of suppressions) {
    lines.push(`// Suppression #${rule.id} "${oneLine(rule.name)}": left out when all its criteria hold for the group, as in the product.`)
    lines.push(suppressionFilter(rule))
  }
  lines.push(
    '| extend DurationMs = datetime_diff("millisecond", LastSeen, FirstSeen)',
    '| extend DurationMinutes = iff(DurationMs < 60000, 1.0, round(DurationMs / 60000.0, 1))',
    '| extend EnumerationRatePerMin = round(UniqueUsernames / DurationMinutes, 2)',
    `| extend Verdict = case(UniqueUsernames >= ${high.from}, ${kqlString(high.verdict)}, UniqueUsernames >= ${moderate.from}, ${kqlString(moderate.verdict)}, ${kqlString(low.verdict)})`,
    '| sort by UniqueUsernames desc, AttemptCount desc, Bucket asc, IPAddress asc',
    `| project ${output.join(', ')}`,
  )
  return `${lines.join('\n')}\n`
}
