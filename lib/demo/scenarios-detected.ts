import { APPS, RESOURCES, type App } from './apps'
import { CODE, type ResultCode } from './error-codes'
import type { SignInSpec } from './graph-sign-in'
import { ROLE_NAMES, upnOf } from './names'
import { ASN, PLACES } from './networks'
import { existing, missing, probe, scriptClient, type Origin, type Target, type Tool } from './probe'
import { at, targetsFor, type ScenarioDefinition } from './scenario-kit'
import { dayTime } from './timeline'
import { CLIENT_APP, TOOL_USER_AGENTS } from './user-agents'

/** Attacks the reference rule reports, one per verdict tier, and the one that got in. */

const MSOLSPRAY: Tool = { app: APPS.aadPowerShell, resource: RESOURCES.aadGraph, client: scriptClient(TOOL_USER_AGENTS.msolSpray) }

const highConfidence: ScenarioDefinition = {
  id: 'msolspray-high-confidence',
  title: 'MSOLSpray run against a scraped staff list',
  nature: 'attack',
  sourceIps: ['203.0.113.45'],
  fingerprint: { appDisplayName: APPS.aadPowerShell.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.msolSpray },
  window: { start: dayTime(0, 2, 14), end: dayTime(0, 2, 41) },
  probedUsernames: 77,
  expectedFindings: [{ hour: 2, verdict: 'High Confidence Enumeration', uniqueUsernames: 77, attemptCount: 77 }],
  ruleOutcome: '77 distinct names with the rule\'s codes from one address, tool and user agent in one hour (68 × 50034, plus 3 × 50053, 2 × 50055 and 4 × 50056 on real employees).',
  extended: {
    findings: [{ kind: 'hourly', start: dayTime(0, 2), windowMinutes: 60, verdict: 'High Confidence Enumeration', uniqueUsernames: 77, notFound: 68, confirmed: 23, escalated: true }],
    escalationCodes: ['50055'],
    campaign: null,
    suppression: null,
    summary: 'The same finding, escalated to Critical: two probed accounts answered 50055, so the tool had their (expired) passwords right. 23 accounts confirmed to exist, 68 names not found.',
  },
  triage:
    'Malicious. The Azure AD PowerShell client id with the bare "Mozilla/5.0" user agent over ROPC is the MSOLSpray fingerprint. The 50053/50055/50056 answers and the 14 × 50126 (not counted by the rule) confirm 23 real accounts to the attacker.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.amsterdam, asn: ASN.hostingNl }
    const targets = targetsFor(context, { missing: 68, locked: 3, expired: 2, noPassword: 4, wrongPassword: 14 })
    return probe(targets, origin, MSOLSPRAY, at(context, this.window.start), at(context, this.window.end), context.rng)
  },
}

const moderate: ScenarioDefinition = {
  id: 'python-moderate',
  title: 'Scripted enumeration with python-requests',
  nature: 'attack',
  sourceIps: ['192.0.2.77'],
  fingerprint: { appDisplayName: APPS.office.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.pythonRequests },
  window: { start: dayTime(0, 9, 5), end: dayTime(0, 9, 50) },
  probedUsernames: 27,
  expectedFindings: [{ hour: 9, verdict: 'Moderate Enumeration', uniqueUsernames: 27, attemptCount: 31 }],
  ruleOutcome: '27 distinct names in one hour; 4 of the missing names were retried after a timeout, so 31 attempts.',
  extended: {
    findings: [{ kind: 'hourly', start: dayTime(0, 9), windowMinutes: 60, verdict: 'Moderate Enumeration', uniqueUsernames: 27, notFound: 24, confirmed: 9, escalated: false }],
    escalationCodes: [],
    campaign: null,
    suppression: null,
    summary: 'The same finding; its yield shows 9 real accounts confirmed (2 lockouts, 1 without password, 6 wrong passwords) among 33 names.',
  },
  triage: 'Malicious. A python-requests user agent borrowing the Microsoft Office client id has no business signing in; 2 lockouts and 6 wrong passwords show it hit real staff.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.frankfurt, asn: ASN.hostingDe }
    const tool: Tool = { app: APPS.office, resource: RESOURCES.graph, client: scriptClient(TOOL_USER_AGENTS.pythonRequests) }
    const targets = targetsFor(context, { missing: 24, locked: 2, noPassword: 1, wrongPassword: 6 })
    return probe(targets, origin, tool, at(context, this.window.start), at(context, this.window.end), context.rng, { retries: 4 })
  },
}

const lowLevel: ScenarioDefinition = {
  id: 'role-names-low-level',
  title: 'Role-mailbox guessing from an IPv6 VPS',
  nature: 'attack',
  sourceIps: ['2001:db8:bad:7::14'],
  fingerprint: { appDisplayName: APPS.azureCli.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.goHttp },
  window: { start: dayTime(1, 14, 10), end: dayTime(1, 14, 58) },
  probedUsernames: 14,
  expectedFindings: [{ hour: 38, verdict: 'Low-Level Enumeration', uniqueUsernames: 14, attemptCount: 16 }],
  ruleOutcome: '14 generic names (admin@, helpdesk@, payroll@ ...) that do not exist, 2 of them retried: 14 names, 16 attempts.',
  extended: {
    findings: [{ kind: 'hourly', start: dayTime(1, 14), windowMinutes: 60, verdict: 'Low-Level Enumeration', uniqueUsernames: 14, notFound: 14, confirmed: 2, escalated: false }],
    escalationCodes: [],
    campaign: null,
    suppression: null,
    summary: 'The same finding; its yield lists the 2 service accounts the 50126 answers confirmed.',
  },
  triage: 'Malicious but low yield: none of the role names exists. Its 50126 answers for svc-scanner and svc-sharepoint (not counted by the rule) tell the attacker that service accounts exist.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.saoPaulo, asn: ASN.hostingBr }
    const tool: Tool = { app: APPS.azureCli, resource: RESOURCES.azureManagement, client: scriptClient(TOOL_USER_AGENTS.goHttp) }
    const roles = context.rng.shuffle(ROLE_NAMES).slice(0, 14).map(upnOf)
    const services = context.directory.serviceAccounts.filter((a) => a.upn === upnOf('svc-scanner') || a.upn === upnOf('svc-sharepoint'))
    const targets = [...missing(roles), ...existing(services, CODE.wrongPassword)]
    return probe(targets, origin, tool, at(context, this.window.start), at(context, this.window.end), context.rng, { retries: 2 })
  },
}

const followOn: ScenarioDefinition = {
  id: 'enumeration-then-success',
  title: 'Enumeration followed by a successful sign-in',
  nature: 'attack',
  sourceIps: ['192.0.2.99'],
  fingerprint: { appDisplayName: APPS.teams.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.msolSpray },
  window: { start: dayTime(1, 15, 5), end: dayTime(1, 18, 40) },
  probedUsernames: 23,
  expectedFindings: [{ hour: 39, verdict: 'Moderate Enumeration', uniqueUsernames: 23, attemptCount: 23 }],
  ruleOutcome:
    '23 distinct names between 15:05 and 15:35. The rule stops there: the 50076 and 0 results three hours later are not among its codes.',
  extended: {
    findings: [{ kind: 'hourly', start: dayTime(1, 15), windowMinutes: 60, verdict: 'Moderate Enumeration', uniqueUsernames: 23, notFound: 21, confirmed: 7, escalated: true }],
    escalationCodes: ['0', '50055', '50076'],
    campaign: null,
    suppression: null,
    summary: 'Escalated to Critical: the probed employee answers 50076 at 18:12 and svc-backup signs in (0) at 18:31 from the same address; one probed account had answered 50055 during the probing itself.',
  },
  triage:
    'Incident. From 18:12 the same address and user agent get 50076 (password right, MFA required) for an employee it had probed, and at 18:31 a successful single-factor sign-in (code 0) as svc-backup@contoso.com, a service account excluded from MFA. Disable svc-backup, reset both passwords, revoke sessions.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.bucharest, asn: ASN.hostingRo }
    // TeamFiltration's fingerprint: the Teams client id with a bare user agent.
    const tool: Tool = { app: APPS.teams, resource: RESOURCES.graph, client: scriptClient(TOOL_USER_AGENTS.msolSpray) }
    const targets = targetsFor(context, { missing: 21, locked: 1, expired: 1, wrongPassword: 4 })
    const backup = context.directory.serviceAccounts.find((a) => a.upn === upnOf('svc-backup'))
    if (!backup) throw new Error('the demo directory has no svc-backup account')
    targets.push(...existing([backup], CODE.wrongPassword))
    const specs = probe(targets, origin, tool, at(context, this.window.start), at(context, dayTime(1, 15, 35)), context.rng)

    // Hours later the password guesses land: MFA stops the employee's, nothing stops the service account's.
    const victim = targets.find((t) => t.code === CODE.wrongPassword && t.account !== backup)
    if (!victim) throw new Error('the enumeration probed no employee')
    const later = (minute: number, target: Target, code: ResultCode, app: App = tool.app): SignInSpec => ({
      ...specs[0],
      time: at(context, dayTime(1, 18, minute)) + context.rng.int(0, 50_000),
      upn: target.upn,
      account: target.account,
      app,
      resource: app === APPS.office ? RESOURCES.exchange : tool.resource,
      code,
    })
    const backupTarget: Target = { upn: backup.upn, account: backup, code: CODE.success }
    specs.push(
      later(12, victim, CODE.mfaRequired),
      later(14, victim, CODE.mfaRequired),
      later(31, backupTarget, CODE.success),
      later(33, backupTarget, CODE.success, APPS.office),
    )
    return specs
  },
}

export const DETECTED_ATTACKS: readonly ScenarioDefinition[] = [highConfidence, moderate, lowLevel, followOn]
