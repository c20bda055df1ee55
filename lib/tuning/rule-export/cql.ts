import type { ActiveSuppression, RuleContext } from './context'
import { errorCodes } from './context'
import { headerLines, oneLine } from './header'
import { CONTROL_CHARACTERS, exactRegex, wildcardRegex } from './patterns'

/**
 * The rule as a CrowdStrike Falcon LogScale query (CQL), on the reference rule's repositories
 * and field names. Where the reference uses notation LogScale does not have (a rounding
 * precision, a timeBucket() inside groupBy), the same result is built from documented functions.
 */

/**
 * A string literal with \\ and \" escaped. LogScale documents no escape for control characters
 * in strings, and a raw line break would end the literal; such values are matched with a regex
 * literal instead, where \xHH is defined.
 */
export function cqlString(value: string): string {
  if (CONTROL_CHARACTERS.test(value)) throw new Error('a LogScale string literal cannot hold a control character')
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`
}

/** A /…/i regex literal: case-insensitive like the product's patterns. */
const regexLiteral = (pattern: string) => `/${wildcardRegex(pattern, { escapeSlash: true })}/i`

/** Per-event flag and its per-group sum. */
const upnMiss = (rule: ActiveSuppression) => `Suppression${rule.id}UpnMiss`
const upnMisses = (rule: ActiveSuppression) => `Suppression${rule.id}UpnMisses`
const appHit = (rule: ActiveSuppression) => `Suppression${rule.id}AppHit`
const appHits = (rule: ActiveSuppression) => `Suppression${rule.id}AppHits`

/** Exact and case-sensitive either way: the regex form (no /i) only when a string literal cannot hold the name. */
const appNameTest = (name: string) =>
  CONTROL_CHARACTERS.test(name) ? `appDisplayName = /${exactRegex(name, { escapeSlash: true })}/` : `test(appDisplayName == ${cqlString(name)})`

/** Per-event 0/1 flags that groupBy sums: LogScale has no conditional count inside groupBy. */
function suppressionFlags(rules: ActiveSuppression[]): string[] {
  const lines: string[] = []
  for (const rule of rules) {
    if (rule.upnPattern) lines.push(`| case { userPrincipalName = ${regexLiteral(rule.upnPattern)} | ${upnMiss(rule)} := 0 ; * | ${upnMiss(rule)} := 1 }`)
    if (rule.appName) lines.push(`| case { ${appNameTest(rule.appName)} | ${appHit(rule)} := 1 ; * | ${appHit(rule)} := 0 }`)
  }
  return lines
}

function suppressionSums(rules: ActiveSuppression[]): string[] {
  const sums: string[] = []
  for (const rule of rules) {
    if (rule.upnPattern) sums.push(`sum(${upnMiss(rule)}, as=${upnMisses(rule)})`)
    if (rule.appName) sums.push(`sum(${appHit(rule)}, as=${appHits(rule)})`)
  }
  return sums
}

function suppressionFilter(rule: ActiveSuppression): string {
  const conditions: string[] = []
  if (rule.cidr) conditions.push(`cidr(ipAddress, subnet=${cqlString(rule.cidr.text)})`)
  if (rule.userAgentPattern) conditions.push(`userAgent = ${regexLiteral(rule.userAgentPattern)}`)
  if (rule.appName) conditions.push(`test(${appHits(rule)} > 0)`)
  if (rule.upnPattern) conditions.push(`test(${upnMisses(rule)} == 0)`)
  // As in the product: a rule covers a group that ended by its expiry (LastSeen is epoch ms here).
  if (rule.expiresAt) conditions.push(`test(LastSeen <= ${Date.parse(rule.expiresAt)})`)
  return `| !(${conditions.join(' AND ')})`
}

export function toCql(context: RuleContext): string {
  const { settings, suppressions, tiers } = context
  const windowMs = settings.windowMinutes * 60_000
  const [high, moderate, low] = tiers
  const functions = [
    'count(userPrincipalName, distinct=true, as=UniqueUsernames)',
    'count(as=AttemptCount)',
    ...(settings.usernameSampleSize > 0 ? [`collect([userPrincipalName], limit=${settings.usernameSampleSize})`] : []),
    ...(settings.appListSize > 0 ? [`collect([appDisplayName], limit=${settings.appListSize})`] : []),
    'min(@timestamp, as=FirstSeen)',
    'max(@timestamp, as=LastSeen)',
    ...suppressionSums(suppressions),
  ]
  const output = [
    'Bucket', 'ipAddress', 'clientAppUsed', 'userAgent', 'UniqueUsernames', 'AttemptCount', 'EnumerationRatePerMin', 'DurationMinutes', 'Verdict', 'FirstSeen', 'LastSeen',
    ...(settings.usernameSampleSize > 0 ? ['UsernameSample'] : []),
    ...(settings.appListSize > 0 ? ['AppList'] : []),
  ]
  const lines = [
    ...headerLines(context).map((line) => `// ${line}`),
    '#repo = "azure_ad" OR #repo = "o365"',
    `| in(field="resultType", values=[${errorCodes(settings).map(cqlString).join(', ')}])`,
    '// Trimmed and non-empty in one step: the capture holds the value without surrounding blanks, and blank values do not match.',
    '| ipAddress = /^\\s*(?<ipTrimmed>\\S(?:.*\\S)?)\\s*$/',
    '| ipAddress := ipTrimmed',
    '| userPrincipalName = /^\\s*(?<upnTrimmed>\\S(?:.*\\S)?)\\s*$/',
    '| userPrincipalName := lower(upnTrimmed)',
    '// A missing client app or user agent still forms a group, under "".',
    '| default(field=[clientAppUsed, userAgent], value="")',
    '// Window start in epoch milliseconds: windows begin on multiples of the window since the epoch (UTC hours for 60 minutes).',
    `| Bucket := @timestamp / ${windowMs}`,
    '| round(Bucket, how=floor)',
    `| Bucket := Bucket * ${windowMs}`,
    ...suppressionFlags(suppressions),
    `| groupBy([ipAddress, clientAppUsed, userAgent, Bucket], function=[${functions.join(', ')}], limit=max)`,
    `| UniqueUsernames >= ${low.from}`,
  ]
  for (const rule of suppressions) {
    lines.push(`// Suppression #${rule.id} "${oneLine(rule.name)}": left out when all its criteria hold for the group, as in the product.`)
    lines.push(suppressionFilter(rule))
  }
  lines.push(
    ...(settings.usernameSampleSize > 0 ? ['| rename(field=userPrincipalName, as=UsernameSample)'] : []),
    ...(settings.appListSize > 0 ? ['| rename(field=appDisplayName, as=AppList)'] : []),
    '| DurationMs := LastSeen - FirstSeen',
    '// round() has no precision argument: scale, round to an integer, scale back.',
    '| DurationMinutes := DurationMs / 6000',
    '| round(DurationMinutes)',
    '| DurationMinutes := DurationMinutes / 10',
    '| DurationMinutes := if(DurationMs < 60000, then=1, else=DurationMinutes)',
    '| EnumerationRatePerMin := UniqueUsernames * 100 / DurationMinutes',
    '| round(EnumerationRatePerMin)',
    '| EnumerationRatePerMin := EnumerationRatePerMin / 100',
    '| case {',
    `    UniqueUsernames >= ${high.from} | Verdict := ${cqlString(high.verdict)} ;`,
    `    UniqueUsernames >= ${moderate.from} | Verdict := ${cqlString(moderate.verdict)} ;`,
    `    * | Verdict := ${cqlString(low.verdict)}`,
    '  }',
    '| sort(field=[UniqueUsernames, AttemptCount, Bucket, ipAddress], order=[desc, desc, asc, asc], limit=10000)',
    '| formatTime("%Y-%m-%dT%H:%M:%SZ", field=Bucket, as=Bucket, timezone="UTC")',
    `| select([${output.join(', ')}])`,
  )
  return `${lines.join('\n')}\n`
}
