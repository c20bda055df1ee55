import type { ActiveSuppression, RuleContext } from './context'
import { errorCodes } from './context'
import { headerLines, oneLine } from './header'
import { CONTROL_CHARACTERS, exactRegex, wildcardRegex } from './patterns'

/**
 * The rule as a Splunk search over the Microsoft Azure add-on's Event Hub data
 * (sourcetype azure:monitor:aad): the record's properties.* fields, falling back to the CIM
 * src_ip / user the add-on also extracts. Interactive and non-interactive sign-ins are two
 * categories of that sourcetype.
 */

/** What an SPL string cannot carry: control characters, and backticks, which Splunk reads as macro calls or comment fences before it parses quotes. */
const unfitForString = (value: string) => CONTROL_CHARACTERS.test(value) || value.includes('`')

/**
 * An eval string literal: eval turns \\ into \ and \" into ", so both are escaped. Those are its
 * only escapes (no \n, \t or \uXXXX), so a control character could only go in raw, where a line
 * break would end the literal. Values with either are compared through a regex (splEquals) instead.
 */
export function splString(value: string): string {
  if (unfitForString(value)) throw new Error('an SPL string literal cannot hold a control character or a backtick')
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`
}

/** A regex for match(): PCRE reads \x60 as the backtick an SPL string cannot hold. Backticks are never escaped in these regexes, so each is a literal one. */
const splRegex = (regex: string) => splString(regex.replace(/`/g, '\\x60'))

/** `field == "value"`, or the same exact, case-sensitive test as a PCRE match() when a string literal cannot hold the value. */
function splEquals(field: string, value: string): string {
  return unfitForString(value) ? `match(${field}, ${splRegex(exactRegex(value))})` : `${field} == ${splString(value)}`
}

/** Comments are ``` … ```: a backtick in lead-typed text must not close one early. */
const splComment = (text: string) => '``` ' + text.replace(/`/g, "'") + ' ```'

const matchesPattern = (field: string, pattern: string) => `match(${field}, ${splRegex(`(?i)${wildcardRegex(pattern)}`)})`

const upnMisses = (rule: ActiveSuppression) => `Suppression${rule.id}UpnMisses`
const appHits = (rule: ActiveSuppression) => `Suppression${rule.id}AppHits`

function suppressionAggregates(rules: ActiveSuppression[]): string[] {
  const aggregates: string[] = []
  for (const rule of rules) {
    if (rule.upnPattern) aggregates.push(`sum(eval(if(${matchesPattern('userPrincipalName', rule.upnPattern)}, 0, 1))) AS ${upnMisses(rule)}`)
    if (rule.appName) aggregates.push(`sum(eval(if(${splEquals('appDisplayName', rule.appName)}, 1, 0))) AS ${appHits(rule)}`)
  }
  return aggregates
}

function suppressionFilter(rule: ActiveSuppression): string {
  const conditions: string[] = []
  if (rule.cidr) conditions.push(`cidrmatch(${splString(rule.cidr.text)}, ipAddress)`)
  if (rule.userAgentPattern) conditions.push(matchesPattern('userAgent', rule.userAgentPattern))
  if (rule.appName) conditions.push(`${appHits(rule)} > 0`)
  if (rule.upnPattern) conditions.push(`${upnMisses(rule)} == 0`)
  // As in the product: a rule covers a group that ended by its expiry (LastSeen is epoch seconds here).
  if (rule.expiresAt) conditions.push(`LastSeen <= ${Date.parse(rule.expiresAt) / 1000}`)
  return `| where NOT (${conditions.join(' AND ')})`
}

export function toSpl(context: RuleContext): string {
  const { settings, suppressions, tiers } = context
  const windowSeconds = settings.windowMinutes * 60
  const [high, moderate, low] = tiers
  const aggregates = [
    'dc(userPrincipalName) AS UniqueUsernames',
    'count AS AttemptCount',
    ...(settings.usernameSampleSize > 0 ? ['values(userPrincipalName) AS UsernameSample'] : []),
    // nullif: values() skips nulls, and AppList keeps non-empty app names only.
    ...(settings.appListSize > 0 ? ['values(eval(nullif(appDisplayName, ""))) AS AppList'] : []),
    'min(_time) AS FirstSeen',
    'max(_time) AS LastSeen',
    ...suppressionAggregates(suppressions),
  ]
  const truncations = [
    ...(settings.usernameSampleSize > 0 ? [`UsernameSample=mvindex(UsernameSample, 0, ${settings.usernameSampleSize - 1})`] : []),
    ...(settings.appListSize > 0 ? [`AppList=mvindex(AppList, 0, ${settings.appListSize - 1})`] : []),
  ]
  const output = [
    'Bucket', 'ipAddress', 'clientAppUsed', 'userAgent', 'UniqueUsernames', 'AttemptCount', 'EnumerationRatePerMin', 'DurationMinutes', 'Verdict', 'FirstSeen', 'LastSeen',
    ...(settings.usernameSampleSize > 0 ? ['UsernameSample'] : []),
    ...(settings.appListSize > 0 ? ['AppList'] : []),
  ]
  const lines = [
    '```',
    ...headerLines(context, (line) => line.replace(/`/g, "'")),
    'Narrow index=* to the index the Microsoft Azure add-on writes to. _time is the record time the add-on extracts.',
    '```',
    'index=* sourcetype="azure:monitor:aad" category IN ("SignInLogs", "NonInteractiveUserSignInLogs")',
    "| eval errorCode=trim(tostring('properties.status.errorCode'))",
    `| where in(errorCode, ${errorCodes(settings).map(splString).join(', ')})`,
    // A missing client app or user agent must still form a group: stats drops null BY values.
    "| eval ipAddress=trim(coalesce('properties.ipAddress', src_ip, \"\")), userPrincipalName=lower(trim(coalesce('properties.userPrincipalName', user, \"\"))), clientAppUsed=coalesce('properties.clientAppUsed', \"\"), userAgent=coalesce('properties.userAgent', \"\"), appDisplayName=coalesce('properties.appDisplayName', \"\")",
    '| where ipAddress!="" AND userPrincipalName!=""',
    splComment('Windows start on multiples of the window since the epoch, i.e. on UTC hours for 60 minutes, whatever the search head time zone.'),
    `| eval bucket=floor(_time / ${windowSeconds}) * ${windowSeconds}`,
    `| stats ${aggregates.join(', ')} BY ipAddress, clientAppUsed, userAgent, bucket`,
    `| where UniqueUsernames >= ${low.from}`,
  ]
  for (const rule of suppressions) {
    lines.push(splComment(`Suppression #${rule.id} "${oneLine(rule.name)}": left out when all its criteria hold for the group, as in the product.`))
    lines.push(suppressionFilter(rule))
  }
  lines.push(
    '| eval DurationMs=round((LastSeen - FirstSeen) * 1000), DurationMinutes=if(DurationMs < 60000, 1, round(DurationMs / 60000, 1)), EnumerationRatePerMin=round(UniqueUsernames / DurationMinutes, 2)',
    `| eval Verdict=case(UniqueUsernames >= ${high.from}, ${splString(high.verdict)}, UniqueUsernames >= ${moderate.from}, ${splString(moderate.verdict)}, true(), ${splString(low.verdict)})`,
    ...(truncations.length > 0 ? [`| eval ${truncations.join(', ')}`] : []),
    '| sort 0 -UniqueUsernames, -AttemptCount, +bucket, +ipAddress',
    '| eval Bucket=strftime(bucket, "%Y-%m-%dT%H:%M:%S%z"), FirstSeen=strftime(FirstSeen, "%Y-%m-%dT%H:%M:%S.%3N%z"), LastSeen=strftime(LastSeen, "%Y-%m-%dT%H:%M:%S.%3N%z")',
    `| table ${output.join(', ')}`,
  )
  return `${lines.join('\n')}\n`
}
