import { APPS, RESOURCES } from './apps'
import { someEmployees, type Account } from './directory'
import { CODE } from './error-codes'
import type { SignInSpec } from './graph-sign-in'
import { upnOf } from './names'
import { ASN, DATACENTER_SYNC_IP, PLACES } from './networks'
import { existing, missing, probe, scriptClient, type Origin, type Tool } from './probe'
import { at, targetsFor, type ScenarioDefinition } from './scenario-kit'
import { dayTime } from './timeline'
import { CLIENT_APP, TOOL_USER_AGENTS } from './user-agents'

/**
 * The rule's own known false positives (docs/reference/reference-rule.md): findings that are real by the
 * rule's arithmetic and benign once an analyst knows the source.
 */

/** Entra Connect's directory-synchronisation account (a custom one: the installer's Sync_<server>_<id> name is the other usual form). */
const SYNC_SERVICE_ACCOUNT: Account = {
  upn: 'sync-aadc01@contoso.com',
  displayName: 'On-Premises Directory Synchronization Service Account',
  id: '9d2f6b1a-4c3e-4f8a-b7d5-1e0c2a3b4d5f',
}

const entraConnect: ScenarioDefinition = {
  id: 'entra-connect-sync',
  title: 'Entra Connect server during the nightly sync window',
  nature: 'benign',
  sourceIps: [DATACENTER_SYNC_IP],
  fingerprint: { appDisplayName: APPS.entraConnect.name, clientAppUsed: CLIENT_APP.modern, userAgent: '' },
  // From its service account's first sign-in of the first night to its last of the third.
  window: { start: dayTime(-1, 9, 59), end: dayTime(1, 10, 27) },
  probedUsernames: 30,
  expectedFindings: [
    { hour: -14, verdict: 'Moderate Enumeration', uniqueUsernames: 30, attemptCount: 30 },
    { hour: 10, verdict: 'Moderate Enumeration', uniqueUsernames: 30, attemptCount: 30 },
    { hour: 34, verdict: 'Moderate Enumeration', uniqueUsernames: 30, attemptCount: 30 },
  ],
  ruleOutcome:
    'Every night at 02:00 Seattle time (10:00 UTC) the sync server validates 26 deleted leavers still in its on-premises scope (50034) and 4 new accounts whose password hash has not synced yet (50056): 30 names, three nights, three findings. It sends no user agent; the rule keeps that group with an empty user agent. Its own service account signs in successfully before and after, which the rule does not count.',
  extended: {
    findings: [-1, 0, 1].map((day) => ({
      kind: 'hourly' as const,
      start: dayTime(day, 10),
      windowMinutes: 60,
      verdict: 'Moderate Enumeration' as const,
      uniqueUsernames: 30,
      notFound: 26,
      confirmed: 4,
      // A sync server never holds its users' passwords: no probed name proves one right (50056
      // says the account exists and has no password yet). The successes from its address are its
      // own service account's, which it did not probe. Had it answered 50055, it would be
      // escalated, and the template's rule would refuse to hide it without a lead saying so.
      escalated: false,
    })),
    escalationCodes: [],
    campaign: null,
    suppression: {
      template: 'entra-connect',
      cidr: '198.51.100.20/32',
      appName: APPS.entraConnect.name,
      reason: 'Entra Connect sync server validating its on-premises scope during the nightly sync',
    },
    summary: 'The same three findings, none escalated (the successes from the server are its own service account\'s), until a lead adds the Entra Connect template with the server\'s address and app: then all three are suppressed, kept under the "suppressed" filter.',
  },
  triage:
    'False positive. Contoso\'s own datacenter address, the Entra Connect client id, the same 30 names at the same time every night. Exclude the server by address and client id, and ask the identity team to clean the sync scope.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.seattle, asn: ASN.contoso }
    const tool: Tool = { app: APPS.entraConnect, resource: RESOURCES.aadGraph, client: scriptClient('') }
    // The same stale accounts every night: the scope does not change between runs.
    // Deleted leavers still in its on-premises scope, and new joiners whose password hash has not
    // synced yet: both answer without the server knowing any password.
    const targets = [
      ...missing(context.directory.formerEmployees.slice(0, 26)),
      ...existing(someEmployees(context.rng, context.directory, 4), CODE.noPassword),
    ]
    // The connector's own account signs in at the start and the end of each run: the successes
    // a sync server makes from the same address, under a name it never probed.
    const serviceSignIn = (time: number): SignInSpec => ({
      time,
      upn: SYNC_SERVICE_ACCOUNT.upn,
      account: SYNC_SERVICE_ACCOUNT,
      app: tool.app,
      resource: tool.resource,
      client: tool.client,
      ip: origin.ip,
      place: origin.place,
      asn: origin.asn,
      interactive: false,
      code: CODE.success,
      protocol: 'ropc',
    })
    return [-1, 0, 1].flatMap((day) => [
      serviceSignIn(at(context, dayTime(day, 9, 59))),
      ...probe(targets, origin, tool, at(context, dayTime(day, 10, 0)), at(context, dayTime(day, 10, 25)), context.rng, { inOrder: true }),
      serviceSignIn(at(context, dayTime(day, 10, 26))),
    ])
  },
}

const penTest: ScenarioDefinition = {
  id: 'authorised-pen-test',
  title: 'Authorised penetration test, range not yet excluded',
  nature: 'benign',
  sourceIps: ['192.0.2.200'],
  fingerprint: { appDisplayName: APPS.office.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.pinnedChrome },
  window: { start: dayTime(1, 13, 5), end: dayTime(1, 13, 40) },
  probedUsernames: 56,
  expectedFindings: [{ hour: 37, verdict: 'High Confidence Enumeration', uniqueUsernames: 56, attemptCount: 56 }],
  ruleOutcome: '56 distinct names in one hour: the rule cannot tell a contracted test from an attack.',
  extended: {
    findings: [{ kind: 'hourly', start: dayTime(1, 13), windowMinutes: 60, verdict: 'High Confidence Enumeration', uniqueUsernames: 56, notFound: 50, confirmed: 16, escalated: true }],
    escalationCodes: ['50055'],
    campaign: null,
    suppression: { template: 'pen-test', cidr: '192.0.2.192/27', reason: 'Authorised penetration test, engagement PT-2026-03' },
    summary: 'The same finding until the pen-test template with the firm\'s range 192.0.2.192/27 (and an expiry) suppresses it.',
  },
  triage:
    'Benign (authorised). The address belongs to the pen-test firm\'s published range 192.0.2.192/27 and the time matches the engagement letter. Confirm with the test lead, then add the range to the exclusions for the engagement period.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.london, asn: ASN.penTestFirm }
    const tool: Tool = { app: APPS.office, resource: RESOURCES.exchange, client: scriptClient(TOOL_USER_AGENTS.pinnedChrome) }
    const targets = targetsFor(context, { missing: 50, locked: 2, expired: 2, noPassword: 2, wrongPassword: 10 })
    return probe(targets, origin, tool, at(context, this.window.start), at(context, this.window.end), context.rng)
  },
}

const accessReview: ScenarioDefinition = {
  id: 'access-review-sweep',
  title: 'Identity-governance sweep from its service address',
  nature: 'benign',
  sourceIps: ['198.51.100.230'],
  fingerprint: { appDisplayName: APPS.accessReviewConnector.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.javaHttp },
  window: { start: dayTime(1, 6, 10), end: dayTime(1, 6, 55) },
  probedUsernames: 16,
  expectedFindings: [{ hour: 30, verdict: 'Low-Level Enumeration', uniqueUsernames: 16, attemptCount: 16 }],
  ruleOutcome: 'The quarterly access certification checks every account on its list: 14 leavers already deleted (50034) and 2 expired passwords (50055) make 16 names in one hour.',
  extended: {
    findings: [{ kind: 'hourly', start: dayTime(1, 6), windowMinutes: 60, verdict: 'Low-Level Enumeration', uniqueUsernames: 16, notFound: 14, confirmed: 3, escalated: true }],
    escalationCodes: ['50055'],
    campaign: null,
    suppression: {
      template: 'identity-governance',
      cidr: '198.51.100.230/32',
      appName: APPS.accessReviewConnector.name,
      reason: 'Quarterly access certification sweep from the connector\'s service address',
    },
    summary: 'The same finding (3 accounts confirmed, counting the disabled one\'s 50057) until the identity-governance template suppresses it.',
  },
  triage:
    'False positive. The connector\'s fixed, allow-listed service address and its own app registration; the names are leavers, not guesses. Exclude the connector and fix its stale account list.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.dublin, asn: ASN.governanceSaas }
    const tool: Tool = { app: APPS.accessReviewConnector, resource: RESOURCES.graph, client: scriptClient(TOOL_USER_AGENTS.javaHttp) }
    const disabled = context.directory.serviceAccounts.filter((a) => a.upn === upnOf('svc-sqlreport'))
    const targets = [
      ...missing(context.directory.formerEmployees.slice(26, 40)),
      ...existing(someEmployees(context.rng, context.directory, 2), CODE.expired),
      // A disabled account answers 50057, which the rule does not count.
      ...existing(disabled, CODE.disabled),
    ]
    return probe(targets, origin, tool, at(context, this.window.start), at(context, this.window.end), context.rng, { inOrder: true })
  },
}

export const BENIGN_FINDINGS: readonly ScenarioDefinition[] = [entraConnect, penTest, accessReview]
