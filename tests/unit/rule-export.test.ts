import { describe, expect, it } from 'vitest'
import { resolveExtendedSettings, type ExtendedSettings, type SuppressionRuleSpec } from '@/lib/detection/extended-settings'
import { VERDICTS } from '@/lib/detection/verdicts'
import { exportRule, RULE_LANGUAGES, type RuleLanguage } from '@/lib/tuning/rule-export'
import { cqlString } from '@/lib/tuning/rule-export/cql'
import { wildcardRegex } from '@/lib/tuning/rule-export/patterns'
import { splString } from '@/lib/tuning/rule-export/spl'
import { checkCql, checkSigma, checkSpl, kqlDiagnostics } from '../helpers/siem-syntax'

const generatedAt = new Date('2026-11-28T14:00:00.000Z')
const meta = { datasetName: 'Contoso – March sign-ins', generatedAt }

const defaults = resolveExtendedSettings({})
const tuned = resolveExtendedSettings({
  errorCodes: ['50126', '50034', '50057'],
  lowThreshold: 5,
  moderateThreshold: 15,
  highThreshold: 40,
  windowMinutes: 30,
  usernameSampleSize: 50,
  appListSize: 5,
})

function rule(fields: Partial<SuppressionRuleSpec> & Pick<SuppressionRuleSpec, 'id' | 'name' | 'reason'>): SuppressionRuleSpec {
  return { datasetId: null, cidr: null, upnPattern: null, userAgentPattern: null, appName: null, ownerEmail: null, expiresAt: null, enabled: true, ...fields }
}

/** Active ones carry text that could break a comment or a literal; inactive ones must vanish. */
const suppressions: SuppressionRuleSpec[] = [
  rule({
    id: 3,
    name: 'Corp VPN egress',
    cidr: '198.51.100.0/24',
    userAgentPattern: 'python-requests/*',
    reason: 'VPN concentrator, ticket "SEC-12"\nsecond line ``` */ # not a key: x',
    expiresAt: '2027-01-01T00:00:00.000Z',
  }),
  rule({ id: 5, name: 'Entra Connect (IPv6)', cidr: '2001:db8:abcd::/48', upnPattern: 'Sync_*@Contoso.com', appName: 'Azure AD Connect "Sync"', reason: 'Hybrid sync server' }),
  rule({ id: 7, name: 'Access review platform', userAgentPattern: 'Saviynt*\\Agent/1.0 (x|y) [z]', reason: 'Governance sweep' }),
  rule({ id: 8, name: 'Old pen test', cidr: '203.0.113.0/24', reason: 'Engagement over', expiresAt: '2026-11-01T00:00:00.000Z' }),
  rule({ id: 9, name: 'Paused scanner', cidr: '192.0.2.0/24', reason: 'Paused', enabled: false }),
  rule({ id: 10, name: 'Boundary expiry', cidr: '100.64.0.0/10', reason: 'Expires at the export instant', expiresAt: generatedAt.toISOString() }),
]
const ACTIVE = ['Corp VPN egress', 'Entra Connect (IPv6)', 'Access review platform']
const INACTIVE = ['Old pen test', '203.0.113.0', 'Paused scanner', '192.0.2.0', 'Boundary expiry', '100.64.0.0']

const CASES: { label: string; settings: ExtendedSettings; suppressions: SuppressionRuleSpec[] }[] = [
  { label: 'default settings', settings: defaults, suppressions: [] },
  { label: 'tuned settings and suppressions', settings: tuned, suppressions },
  { label: 'equal thresholds, no samples', settings: resolveExtendedSettings({ lowThreshold: 12, moderateThreshold: 12, highThreshold: 12, usernameSampleSize: 0, appListSize: 0 }), suppressions },
]

const text = (language: RuleLanguage, settings: ExtendedSettings = tuned, rules: SuppressionRuleSpec[] = suppressions) => exportRule(language, settings, rules, meta).text

describe('rule export: syntax', () => {
  for (const { label, settings, suppressions: rules } of CASES) {
    it(`KQL parses and binds against the sign-in tables with no diagnostics (${label})`, () => {
      expect(kqlDiagnostics(text('kql', settings, rules))).toEqual({ syntax: [], semantic: [] })
    })
    it(`SPL passes the structural check (${label})`, () => {
      expect(checkSpl(text('spl', settings, rules))).toEqual([])
    })
    it(`CQL passes the structural check (${label})`, () => {
      expect(checkCql(text('cql', settings, rules))).toEqual([])
    })
    it(`Sigma is valid rule + correlation YAML (${label})`, () => {
      expect(checkSigma(text('sigma', settings, rules)).problems).toEqual([])
    })
  }

  it('the checkers reject broken exports, so passing them means something', () => {
    const kql = text('kql')
    expect(kqlDiagnostics(kql.replace('| where UniqueUsernames >= 5', '| where (UniqueUsernames >= 5')).syntax).not.toEqual([])
    expect(kqlDiagnostics(kql.replace('make_set_if(', 'make_set_where(')).semantic).not.toEqual([])
    expect(kqlDiagnostics(kql.replace('bin(EventTime', 'bin(EventTme')).semantic).not.toEqual([])

    const spl = text('spl')
    expect(checkSpl(spl.replace('| stats ', '| statz '))).toContainEqual(expect.stringContaining('unknown command'))
    expect(checkSpl(spl.replace('| sort 0', '| | sort 0'))).toContainEqual(expect.stringContaining('empty stage'))
    expect(checkSpl(spl.replace('"Moderate Enumeration", true()', '"Moderate Enumeration, true()'))).toContainEqual(expect.stringContaining('unterminated string'))
    expect(checkSpl(spl.replace('cidrmatch(', 'cidr_match('))).toContainEqual(expect.stringContaining('unknown function cidr_match'))
    expect(checkSpl(spl.replace('values(eval(nullif(appDisplayName, ""))) AS AppList', 'values(eval(nullif(appDisplayName, "")))'))).toContainEqual(expect.stringContaining('renamed with AS'))
    expect(checkSpl(spl.replace('round((LastSeen', 'round(((LastSeen'))).toContainEqual(expect.stringContaining('unclosed'))

    const cql = text('cql')
    expect(checkCql(cql.replace('groupBy(', 'groupby('))).toContainEqual(expect.stringContaining('unknown function groupby'))
    expect(checkCql(cql.replace('userAgent = /^python', 'userAgent = /^python\n'))).toContainEqual(expect.stringContaining('unterminated regex'))
    expect(checkCql(cql.replace('  }\n| sort', '\n| sort'))).toContainEqual(expect.stringContaining('unclosed'))
    expect(checkCql(cql.replace('| round(Bucket, how=floor)', '| round(Bucket, how=floor) |'))).toContainEqual(expect.stringContaining('empty stage'))
    expect(checkCql(cql.replace('| UniqueUsernames >= 5', '| UniqueUsernames'))).toContainEqual(expect.stringContaining('unrecognised stage'))

    const sigma = text('sigma')
    expect(checkSigma(sigma.replace('and not 1 of filter_optional_*', 'and not 1 of filters_*')).problems).toContainEqual(expect.stringContaining('matches no detection identifier'))
    expect(checkSigma(sigma.replace('IPAddress|cidr:', 'IPAddress|cidrs:')).problems).toContainEqual(expect.stringContaining('unknown modifier'))
    expect(checkSigma(sigma.replace(/(rules:\n\s+- )enumeration_triage/, '$1other_rule')).problems).toContainEqual(expect.stringContaining('is not a rule name or id'))
    expect(checkSigma(sigma.replace(/timespan: "?30m"?/, 'timespan: 30 minutes')).problems).toContainEqual(expect.stringContaining('timespan'))
  })
})

describe('rule export: the reference rule with the current settings', () => {
  it('names the file after the dataset and day, with a content type per language', () => {
    const files = Object.fromEntries(RULE_LANGUAGES.map((language) => [language, exportRule(language, defaults, [], meta)]))
    expect(files.kql).toMatchObject({ fileName: 'enumeration-triage-contoso-march-sign-ins-20261128.kql', contentType: 'text/plain; charset=utf-8' })
    expect(files.spl.fileName).toBe('enumeration-triage-contoso-march-sign-ins-20261128.spl')
    expect(files.cql.fileName).toBe('enumeration-triage-contoso-march-sign-ins-20261128.cql')
    // Sigma's naming convention: lower-case, digits and underscores, at most 70 characters, mr_ for correlations.
    expect(files.sigma).toMatchObject({ fileName: 'mr_enumeration_triage_contoso_march_sign_ins_20261128.yml', contentType: 'application/yaml; charset=utf-8' })
    expect(files.sigma.fileName).toMatch(/^[a-z0-9_]{10,66}\.yml$/)
  })

  it('KQL: both sign-in tables, string codes, normalised keys, window, threshold and tiers', () => {
    const kql = text('kql', defaults, [])
    expect(kql).toContain('union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs\n')
    expect(kql).toContain('| where ResultType in ("50034", "50053", "50055", "50056")\n')
    expect(kql).toContain('UserPrincipalName = tolower(trim(@"\\s+", UserPrincipalName))')
    expect(kql).toContain('| where isnotempty(IPAddress) and isnotempty(UserPrincipalName)\n')
    expect(kql).toContain('by IPAddress, ClientAppUsed, UserAgent, Bucket = bin(EventTime, 1h)\n')
    expect(kql).toContain('| where UniqueUsernames >= 10\n')
    expect(kql).toContain('iff(DurationMs < 60000, 1.0, round(DurationMs / 60000.0, 1))')
    expect(kql).toContain('round(UniqueUsernames / DurationMinutes, 2)')
    expect(kql).toContain('| extend Verdict = case(UniqueUsernames >= 50, "High Confidence Enumeration", UniqueUsernames >= 20, "Moderate Enumeration", "Low-Level Enumeration")\n')
    expect(kql).toContain('| sort by UniqueUsernames desc, AttemptCount desc, Bucket asc, IPAddress asc\n')

    const tunedKql = text('kql')
    expect(tunedKql).toContain('| where ResultType in ("50126", "50034", "50057")\n')
    expect(tunedKql).toContain('bin(EventTime, 30m)')
    expect(tunedKql).toContain('| where UniqueUsernames >= 5\n')
    expect(tunedKql).toContain('case(UniqueUsernames >= 40, "High Confidence Enumeration", UniqueUsernames >= 15, "Moderate Enumeration", "Low-Level Enumeration")')
    expect(tunedKql).toContain('UsernameSample = make_set(UserPrincipalName, 50)')
    expect(tunedKql).toContain('make_set_if(AppDisplayName, isnotempty(AppDisplayName), 5)')
  })

  it('SPL: both categories, string codes, UTC window start, threshold and tiers', () => {
    const spl = text('spl', defaults, [])
    expect(spl).toContain('sourcetype="azure:monitor:aad" category IN ("SignInLogs", "NonInteractiveUserSignInLogs")')
    expect(spl).toContain('| where in(errorCode, "50034", "50053", "50055", "50056")\n')
    expect(spl).toContain("userPrincipalName=lower(trim(coalesce('properties.userPrincipalName', user, \"\")))")
    expect(spl).toContain('| eval bucket=floor(_time / 3600) * 3600\n')
    expect(spl).toContain('dc(userPrincipalName) AS UniqueUsernames')
    expect(spl).toContain('BY ipAddress, clientAppUsed, userAgent, bucket\n')
    expect(spl).toContain('| where UniqueUsernames >= 10\n')
    expect(spl).toContain('DurationMinutes=if(DurationMs < 60000, 1, round(DurationMs / 60000, 1))')
    expect(spl).toContain('| eval Verdict=case(UniqueUsernames >= 50, "High Confidence Enumeration", UniqueUsernames >= 20, "Moderate Enumeration", true(), "Low-Level Enumeration")\n')
    expect(spl).toContain('| sort 0 -UniqueUsernames, -AttemptCount, +bucket, +ipAddress\n')

    const tunedSpl = text('spl')
    expect(tunedSpl).toContain('| where in(errorCode, "50126", "50034", "50057")\n')
    expect(tunedSpl).toContain('| eval bucket=floor(_time / 1800) * 1800\n')
    expect(tunedSpl).toContain('| where UniqueUsernames >= 5\n')
    expect(tunedSpl).toContain('UsernameSample=mvindex(UsernameSample, 0, 49), AppList=mvindex(AppList, 0, 4)')
  })

  it('CQL: the reference repositories and fields, string codes, window, threshold and tiers', () => {
    const cql = text('cql', defaults, [])
    expect(cql).toContain('#repo = "azure_ad" OR #repo = "o365"\n')
    expect(cql).toContain('| in(field="resultType", values=["50034", "50053", "50055", "50056"])\n')
    expect(cql).toContain('| userPrincipalName := lower(upnTrimmed)\n')
    expect(cql).toContain('| Bucket := @timestamp / 3600000\n| round(Bucket, how=floor)\n| Bucket := Bucket * 3600000\n')
    expect(cql).toContain('groupBy([ipAddress, clientAppUsed, userAgent, Bucket], function=[count(userPrincipalName, distinct=true, as=UniqueUsernames), count(as=AttemptCount), collect([userPrincipalName], limit=25), collect([appDisplayName], limit=10)')
    expect(cql).toContain('| UniqueUsernames >= 10\n')
    expect(cql).toContain('| DurationMinutes := if(DurationMs < 60000, then=1, else=DurationMinutes)\n')
    expect(cql).toContain(
      '| case {\n    UniqueUsernames >= 50 | Verdict := "High Confidence Enumeration" ;\n    UniqueUsernames >= 20 | Verdict := "Moderate Enumeration" ;\n    * | Verdict := "Low-Level Enumeration"\n  }\n',
    )
    expect(cql).toContain('| sort(field=[UniqueUsernames, AttemptCount, Bucket, ipAddress], order=[desc, desc, asc, asc], limit=10000)\n')

    const tunedCql = text('cql')
    expect(tunedCql).toContain('values=["50126", "50034", "50057"]')
    expect(tunedCql).toContain('| Bucket := @timestamp / 1800000\n')
    expect(tunedCql).toContain('| UniqueUsernames >= 5\n')
    expect(tunedCql).toContain('UniqueUsernames >= 40 | Verdict := "High Confidence Enumeration" ;\n    UniqueUsernames >= 15 | Verdict := "Moderate Enumeration" ;')
  })

  it('Sigma: base rule on the codes, one value_count correlation per verdict tier', () => {
    const { documents } = checkSigma(text('sigma', defaults, []))
    const [base, ...tiers] = documents
    expect(base).toMatchObject({
      status: 'experimental',
      author: 'Enumeration Triage',
      date: '2026-11-28',
      tags: ['attack.reconnaissance', 'attack.t1589.002'],
      logsource: { product: 'azure', service: 'signinlogs' },
    })
    expect(base.references).toContain('https://attack.mitre.org/techniques/T1589/002/')
    expect(base.detection).toEqual({
      selection: { ResultType: ['50034', '50053', '50055', '50056'] },
      filter_main_ip_empty: { IPAddress: '' },
      filter_main_ip_null: { IPAddress: null },
      filter_main_upn_empty: { UserPrincipalName: '' },
      filter_main_upn_null: { UserPrincipalName: null },
      condition: 'selection and not 1 of filter_main_*',
    })
    expect(tiers.map((tier) => [String(tier.title).split(':')[0], tier.correlation, tier.level])).toEqual([
      [VERDICTS[2], { type: 'value_count', rules: [base.name], 'group-by': ['IPAddress', 'ClientAppUsed', 'UserAgent'], timespan: '1h', condition: { field: 'UserPrincipalName', gte: 10, lt: 20 } }, 'medium'],
      [VERDICTS[1], { type: 'value_count', rules: [base.name], 'group-by': ['IPAddress', 'ClientAppUsed', 'UserAgent'], timespan: '1h', condition: { field: 'UserPrincipalName', gte: 20, lt: 50 } }, 'high'],
      [VERDICTS[0], { type: 'value_count', rules: [base.name], 'group-by': ['IPAddress', 'ClientAppUsed', 'UserAgent'], timespan: '1h', condition: { field: 'UserPrincipalName', gte: 50 } }, 'critical'],
    ])

    const tunedDocs = checkSigma(text('sigma')).documents
    expect((tunedDocs[0].detection as Record<string, unknown>).selection).toEqual({ ResultType: ['50126', '50034', '50057'] })
    expect(tunedDocs.slice(1).map((tier) => (tier.correlation as Record<string, unknown>).timespan)).toEqual(['30m', '30m', '30m'])
    expect(tunedDocs.slice(1).map((tier) => (tier.correlation as Record<string, unknown>).condition)).toEqual([
      { field: 'UserPrincipalName', gte: 5, lt: 15 },
      { field: 'UserPrincipalName', gte: 15, lt: 40 },
      { field: 'UserPrincipalName', gte: 40 },
    ])
  })

  it('Sigma: an empty tier is left out rather than given an impossible range', () => {
    const equal = resolveExtendedSettings({ lowThreshold: 12, moderateThreshold: 12, highThreshold: 12 })
    const tiers = checkSigma(text('sigma', equal, [])).documents.slice(1)
    expect(tiers.map((tier) => [String(tier.title).split(':')[0], (tier.correlation as Record<string, unknown>).condition])).toEqual([
      [VERDICTS[0], { field: 'UserPrincipalName', gte: 12 }],
    ])
  })

  it('Sigma ids are UUIDs that stay the same for the same dataset and settings', () => {
    const ids = (settings: ExtendedSettings, datasetName = meta.datasetName, at = generatedAt) =>
      checkSigma(exportRule('sigma', settings, suppressions, { datasetName, generatedAt: at }).text).documents.map((doc) => doc.id)
    const first = ids(tuned)
    expect(new Set(first).size).toBe(4)
    expect(ids(tuned, meta.datasetName, new Date('2027-02-01T00:00:00Z'))).toEqual(first)
    expect(ids(resolveExtendedSettings({ ...tuned, highThreshold: 41 }))[0]).not.toBe(first[0])
    expect(ids(tuned, 'Fabrikam')[0]).not.toBe(first[0])
  })
})

describe('rule export: suppressions', () => {
  it('every export has the header: product, dataset, time, settings and each active rule with reason and expiry', () => {
    for (const language of RULE_LANGUAGES) {
      const exported = text(language)
      expect(exported, language).toContain('Generated by Enumeration Triage')
      expect(exported, language).toContain('Dataset: Contoso – March sign-ins')
      expect(exported, language).toContain('Generated at: 2026-11-28T14:00:00.000Z')
      expect(exported, language).toContain('Settings: error codes 50126, 50034, 50057; reported from 5 distinct usernames')
      expect(exported, language).toContain('"Moderate Enumeration" from 15, "High Confidence Enumeration" from 40')
      expect(exported, language).toContain('Suppressions (3 active;')
      for (const name of ACTIVE) expect(exported, language).toContain(name)
      expect(exported, language).toContain('Governance sweep')
      expect(exported, language).toContain('expires 2027-01-01T00:00:00.000Z')
      expect(exported, language).toContain('3 further suppression rule(s) left out')
    }
    expect(text('kql', defaults, [])).toContain('// Suppressions: none active.\n')
  })

  it('disabled, expired and expiring-now rules appear nowhere', () => {
    for (const language of RULE_LANGUAGES) {
      const exported = text(language)
      for (const marker of INACTIVE) expect(exported, `${language}: ${marker}`).not.toContain(marker)
    }
  })

  it('KQL: CIDR by address family, patterns as case-insensitive regexes, UPN and app over the whole group', () => {
    const kql = text('kql')
    // A rule with an expiry covers only what ended by it: the export expires with it.
    expect(kql).toContain('| where not(coalesce(ipv4_is_in_range(IPAddress, "198.51.100.0/24"), false) and UserAgent matches regex "(?i)^python-requests/.*$" and LastSeen <= datetime(2027-01-01T00:00:00.000Z))\n')
    expect(kql).toContain('Suppression5UpnMisses = countif(not(UserPrincipalName matches regex "(?i)^sync_.*@contoso\\\\.com$"))')
    expect(kql).toContain('Suppression5AppHits = countif(AppDisplayName == "Azure AD Connect \\"Sync\\"")')
    expect(kql).toContain('| where not(coalesce(ipv6_is_match(IPAddress, "2001:db8:abcd::/48"), false) and Suppression5AppHits > 0 and Suppression5UpnMisses == 0)\n')
    expect(kql).toContain('| where not(UserAgent matches regex "(?i)^Saviynt.*\\\\\\\\Agent/1\\\\.0 \\\\(x\\\\|y\\\\) \\\\[z\\\\]$")\n')
    expect(text('kql', tuned, [])).not.toMatch(/where not\(|Suppression\d/)
  })

  it('SPL and CQL: cidrmatch / cidr() for both families, group-level UPN and app tests', () => {
    const spl = text('spl')
    expect(spl).toContain('| where NOT (cidrmatch("198.51.100.0/24", ipAddress) AND match(userAgent, "(?i)^python-requests/.*$") AND LastSeen <= 1798761600)\n')
    expect(spl).toContain('| where NOT (cidrmatch("2001:db8:abcd::/48", ipAddress) AND Suppression5AppHits > 0 AND Suppression5UpnMisses == 0)\n')
    expect(spl).toContain('sum(eval(if(match(userPrincipalName, "(?i)^sync_.*@contoso\\\\.com$"), 0, 1))) AS Suppression5UpnMisses')

    const cql = text('cql')
    expect(cql).toContain('| !(cidr(ipAddress, subnet="198.51.100.0/24") AND userAgent = /^python-requests\\/.*$/i AND test(LastSeen <= 1798761600000))\n')
    expect(cql).toContain('| !(cidr(ipAddress, subnet="2001:db8:abcd::/48") AND test(Suppression5AppHits > 0) AND test(Suppression5UpnMisses == 0))\n')
    expect(cql).toContain('| case { userPrincipalName = /^sync_.*@contoso\\.com$/i | Suppression5UpnMiss := 0 ; * | Suppression5UpnMiss := 1 }\n')
    expect(cql).toContain('sum(Suppression5UpnMiss, as=Suppression5UpnMisses), sum(Suppression5AppHit, as=Suppression5AppHits)')
  })

  it('Sigma: one optional filter per active rule, |cidr for IPv4 and IPv6, and the per-event approximation said aloud', () => {
    const sigma = text('sigma')
    const detection = checkSigma(sigma).documents[0].detection as Record<string, unknown>
    expect(Object.keys(detection).filter((key) => key.startsWith('filter_optional_'))).toEqual([
      'filter_optional_suppression_3',
      'filter_optional_suppression_5',
      'filter_optional_suppression_7',
    ])
    expect(detection.filter_optional_suppression_3).toEqual({ 'IPAddress|cidr': '198.51.100.0/24', UserAgent: 'python-requests/*' })
    expect(detection.filter_optional_suppression_5).toEqual({ 'IPAddress|cidr': '2001:db8:abcd::/48', AppDisplayName: 'Azure AD Connect "Sync"', UserPrincipalName: 'sync_*@contoso.com' })
    // Sigma wildcards: `*` stays a wildcard, a literal backslash is escaped.
    expect(detection.filter_optional_suppression_7).toEqual({ UserAgent: 'Saviynt*\\\\Agent/1.0 (x|y) [z]' })
    expect(detection.condition).toBe('selection and not 1 of filter_main_* and not 1 of filter_optional_*')
    expect(sigma).toContain('# Approximation: Sigma filters single events')
  })

  it('patterns become anchored regexes whose literal parts match only themselves', () => {
    const regex = new RegExp(wildcardRegex('svc-*@contoso.com'), 'i')
    expect(regex.test('svc-backup@contoso.com')).toBe(true)
    expect(regex.test('SVC-Backup@Contoso.com')).toBe(true)
    expect(regex.test('svc-backup@contosoXcom')).toBe(false)
    expect(regex.test('xsvc-backup@contoso.com')).toBe(false)
    expect(regex.test('svc-backup@contoso.com.evil')).toBe(false)
    expect(new RegExp(wildcardRegex('a(b)*[c]')).test('a(b)zz[c]')).toBe(true)
    expect(wildcardRegex('x/y', { escapeSlash: true })).toBe('^x\\/y$')
  })
})

describe('rule export: hostile suppression values', () => {
  // Suppression text is typed by leads, often pasted from what the attacker sent (user agents, app
  // names): every character that could end a string, regex, comment or line in some language.
  const HOSTILE = 'x"y\\z\'w\nnew | line\r\tq */ /* ``` # k: v // |u\u2028v\u2029w\u0085n\u0001\u007f\u0080end'
  const LOWER = HOSTILE.toLowerCase()
  const hostileRule = rule({ id: 21, name: HOSTILE, reason: HOSTILE, cidr: '10.0.0.0/8', upnPattern: `${HOSTILE}*@contoso.com`, userAgentPattern: `*${HOSTILE}*`, appName: HOSTILE })
  const plainRule = rule({ id: 21, name: 'plain', reason: 'plain', cidr: '10.0.0.0/8', upnPattern: 'plain*@contoso.com', userAgentPattern: '*plain*', appName: 'plain' })
  const hostile = (language: RuleLanguage) => exportRule(language, tuned, [hostileRule], { datasetName: HOSTILE, generatedAt }).text
  const plain = (language: RuleLanguage) => exportRule(language, tuned, [plainRule], { datasetName: 'plain', generatedAt }).text

  /** The literal's content in a language whose strings escape only \\ and \" (SPL eval, LogScale). */
  const unescapeBackslashes = (literal: string) => literal.slice(1, -1).replace(/\\(.)/gs, '$1')
  /** The exported regex (RE2, PCRE or Java syntax as written here) as a JavaScript one. */
  const jsRegex = (source: string, flags = '') => {
    const caseless = source.startsWith('(?i)')
    return new RegExp(source.replace(/^\(\?i\)/, '').replace(/\\x\{([0-9a-f]+)\}/g, '\\u{$1}'), `u${caseless ? 'i' : ''}${flags}`)
  }
  const STRING = '"(?:[^"\\\\\\n]|\\\\.)*"'
  const capture = (text: string, before: string, pattern: string, after: string) => {
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const match = new RegExp(`${escape(before)}(${pattern})${escape(after)}`).exec(text)
    expect(match, `${before}…${after}`).not.toBeNull()
    return match![1]
  }

  it('start no new line anywhere and leave no control character raw, in any language', () => {
    for (const language of RULE_LANGUAGES) {
      const text = hostile(language)
      // A name's line break in a comment header would otherwise start a query line of its own.
      expect(text.split('\n').length, language).toBe(plain(language).split('\n').length)
      expect(text, language).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/)
    }
    // SPL comments are ``` … ``` and `name` calls a macro: no backtick of the value's may survive.
    expect(hostile('spl').split('`').length).toBe(plain('spl').split('`').length)
  })

  it('pass every language checker', () => {
    expect(kqlDiagnostics(hostile('kql'))).toEqual({ syntax: [], semantic: [] })
    expect(checkSpl(hostile('spl'))).toEqual([])
    expect(checkCql(hostile('cql'))).toEqual([])
    expect(checkSigma(hostile('sigma')).problems).toEqual([])
  })

  it('KQL: the string literals read back as the values, and the regexes match them', () => {
    const kql = hostile('kql')
    kqlDiagnostics('print 1') // loads Kusto.Language, whose own literal decoder reads the strings back
    const decode = (literal: string): string => (globalThis as unknown as { Kusto: { Language: { KustoFacts: { GetStringLiteralValue(text: string): string } } } }).Kusto.Language.KustoFacts.GetStringLiteralValue(literal)
    expect(decode(capture(kql, 'countif(AppDisplayName == ', STRING, ')'))).toBe(HOSTILE)
    const upn = jsRegex(decode(capture(kql, 'countif(not(UserPrincipalName matches regex ', STRING, '))')))
    expect(upn.test(`${LOWER}sync@contoso.com`)).toBe(true)
    expect(upn.test(`${LOWER.replace('\n', ' ')}sync@contoso.com`)).toBe(false)
    const userAgent = jsRegex(decode(capture(kql, 'UserAgent matches regex ', STRING, ' and ')))
    expect(userAgent.test(`Mozilla ${HOSTILE} 5.0`)).toBe(true)
    expect(userAgent.test(`Mozilla ${HOSTILE.replace('\u2028', '\u2029')} 5.0`)).toBe(false)
  })

  it('SPL: no escape for control characters in eval strings, so the app name is matched exactly by a PCRE regex', () => {
    const spl = hostile('spl')
    const app = jsRegex(unescapeBackslashes(capture(spl, 'sum(eval(if(match(appDisplayName, ', STRING, '), 1, 0)))')))
    expect(app.test(HOSTILE)).toBe(true)
    expect(app.test(HOSTILE.toUpperCase())).toBe(false) // == is case-sensitive, so the regex is too
    expect(app.test(`${HOSTILE}x`)).toBe(false)
    const upn = jsRegex(unescapeBackslashes(capture(spl, 'sum(eval(if(match(userPrincipalName, ', STRING, '), 0, 1)))')))
    expect(upn.test(`${LOWER}sync@contoso.com`)).toBe(true)
    const userAgent = jsRegex(unescapeBackslashes(capture(spl, 'match(userAgent, ', STRING, ')')))
    expect(userAgent.test(`Mozilla ${HOSTILE} 5.0`)).toBe(true)
    expect(userAgent.test(`Mozilla ${HOSTILE.replace('\t', ' ')} 5.0`)).toBe(false)
    // Values without control characters keep the plain comparison.
    expect(plain('spl')).toContain('sum(eval(if(appDisplayName == "plain", 1, 0))) AS Suppression21AppHits')
    expect(splString('a "b" \\c')).toBe('"a \\"b\\" \\\\c"')
    expect(() => splString('a\nb')).toThrow(/control character/)
  })

  it('CQL: regex literals read back as the values, the app name case-sensitively', () => {
    const cql = hostile('cql')
    const REGEX = '(?:[^/\\\\\\n]|\\\\.)*'
    const app = jsRegex(capture(cql, '| case { appDisplayName = /', REGEX, '/ | Suppression21AppHit := 1'))
    expect(app.test(HOSTILE)).toBe(true)
    expect(app.test(HOSTILE.toUpperCase())).toBe(false)
    const upn = jsRegex(capture(cql, '| case { userPrincipalName = /', REGEX, '/i |'), 'i')
    expect(upn.test(`${LOWER}sync@contoso.com`)).toBe(true)
    const userAgent = jsRegex(capture(cql, 'userAgent = /', REGEX, '/i AND'), 'i')
    expect(userAgent.test(`Mozilla ${HOSTILE} 5.0`)).toBe(true)
    expect(userAgent.test(`Mozilla ${HOSTILE.replace('\r', '\n')} 5.0`)).toBe(false)
    expect(plain('cql')).toContain('| case { test(appDisplayName == "plain") | Suppression21AppHit := 1 ; * | Suppression21AppHit := 0 }')
    expect(() => cqlString('a\u2028b')).toThrow(/control character/)
  })

  it('Sigma: the YAML reads back to the exact values, and the comments stay comments', () => {
    const sigma = hostile('sigma')
    const detection = checkSigma(sigma).documents[0].detection as Record<string, unknown>
    const literal = (text: string) => text.replace(/[\\*?]/g, (char) => `\\${char}`)
    const wildcard = (pattern: string) => pattern.split('*').map(literal).join('*')
    expect(detection.filter_optional_suppression_21).toEqual({
      'IPAddress|cidr': '10.0.0.0/8',
      UserAgent: wildcard(`*${HOSTILE}*`),
      AppDisplayName: literal(HOSTILE),
      UserPrincipalName: wildcard(`${LOWER}*@contoso.com`),
    })
    // YAML 1.1 (PyYAML, which pySigma uses) breaks lines at NEL, U+2028 and U+2029 and refuses C1
    // controls: the values carry them as escapes only.
    expect(sigma).toContain('\\u2028')
    expect(sigma).toContain('\\x85')
    expect(sigma.split('\n').filter((line) => line.includes('Suppression #21'))).toEqual([
      `  # Suppression #21 "x"y\\z'w new | line q */ /* \`\`\` # k: v // |u v w n end": x"y\\z'w new | line q */ /* \`\`\` # k: v // |u v w n end (expires never)`,
    ])
  })
})
