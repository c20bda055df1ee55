import { APPS, RESOURCES } from './apps'
import { someEmployees, unknownPeople } from './directory'
import { CODE } from './error-codes'
import type { SignInSpec } from './graph-sign-in'
import { ASN, PLACES } from './networks'
import { existing, missing, probe, scriptClient, type Origin, type Target, type Tool } from './probe'
import { at, targetsFor, type PlanContext, type ScenarioDefinition } from './scenario-kit'
import { dayTime, HOUR_MS } from './timeline'
import { CLIENT_APP, ROTATION_USER_AGENTS, TOOL_USER_AGENTS } from './user-agents'

/**
 * Attacks the reference rule does not report (its blind spots, docs/reference/reference-rule.md): each
 * stays under 10 names per (address, client app, user agent, UTC hour) by construction, while
 * the activity as a whole is plainly enumeration.
 */

const MSOLSPRAY: Tool = { app: APPS.aadPowerShell, resource: RESOURCES.aadGraph, client: scriptClient(TOOL_USER_AGENTS.msolSpray) }

/**
 * A user list where every `existingEvery`-th name is a real employee answering 50126 (not a rule
 * code) and the rest do not exist: `total` names, all distinct.
 */
function mixedList(context: PlanContext, total: number, existingEvery: number): Target[] {
  const realCount = Math.floor(total / existingEvery)
  const real = existing(someEmployees(context.rng, context.directory, realCount), CODE.wrongPassword)
  const invented = missing(unknownPeople(context.rng, context.directory, total - realCount))
  return Array.from({ length: total }, (_, i) => ((i + 1) % existingEvery === 0 ? real.shift() : invented.shift()) as Target)
}

const belowThreshold: ScenarioDefinition = {
  id: 'below-threshold',
  title: 'Nine names: just under the threshold',
  nature: 'attack',
  sourceIps: ['192.0.2.151'],
  fingerprint: { appDisplayName: APPS.office.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.curl },
  window: { start: dayTime(0, 16, 20), end: dayTime(0, 16, 35) },
  probedUsernames: 9,
  expectedFindings: [],
  ruleOutcome: '9 distinct names in one hour: one short of the rule\'s 10.',
  extended: {
    findings: [],
    escalationCodes: [],
    campaign: null,
    suppression: null,
    summary: 'Nothing either: 9 names stay under the threshold in every window, and one address with one user agent is no campaign.',
  },
  triage: 'Probably a manual check of a short list (8 unknown names, 1 lockout). Worth a look when hunting, never an alert.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.singapore, asn: ASN.hostingSg }
    const tool: Tool = { app: APPS.office, resource: RESOURCES.exchange, client: scriptClient(TOOL_USER_AGENTS.curl) }
    const targets = targetsFor(context, { missing: 8, locked: 1, wrongPassword: 2 })
    return probe(targets, origin, tool, at(context, this.window.start), at(context, this.window.end), context.rng)
  },
}

const splitHour: ScenarioDefinition = {
  id: 'split-by-hour-boundary',
  title: 'Burst split by the hour boundary',
  nature: 'attack',
  sourceIps: ['192.0.2.162'],
  fingerprint: { appDisplayName: APPS.aadPowerShell.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.msolSpray },
  window: { start: dayTime(0, 19, 52), end: dayTime(0, 20, 7) },
  probedUsernames: 16,
  expectedFindings: [],
  ruleOutcome:
    '16 names in 15 minutes, but 8 fall in the 19:00 bucket and 8 in the 20:00 bucket. The last one before the hour is at 19:59:59.9999999, which stays in 19:00 because sub-millisecond digits are cut, not rounded.',
  extended: {
    findings: [{ kind: 'sliding', start: dayTime(0, 19, 52), windowMinutes: 60, verdict: 'Low-Level Enumeration', uniqueUsernames: 16, notFound: 14, confirmed: 2, escalated: false }],
    escalationCodes: [],
    campaign: null,
    suppression: null,
    summary: 'A sliding-window finding of its own: 16 names in the 60 minutes from 19:52, Low-Level.',
  },
  triage: 'Malicious (MSOLSpray fingerprint). A sliding 60-minute window, or grouping by address over two hours, would catch it.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.frankfurt, asn: ASN.hostingDe }
    const targets = context.rng.shuffle(targetsFor(context, { missing: 14, locked: 1, noPassword: 1 }))
    const hour = at(context, dayTime(0, 20, 0))
    const before = probe(targets.slice(0, 8), origin, MSOLSPRAY, at(context, this.window.start), hour - 1, context.rng, { inOrder: true })
    const after = probe(targets.slice(8), origin, MSOLSPRAY, hour + 5_000, at(context, this.window.end), context.rng, { inOrder: true })
    // The edge of the bucket: 19:59:59.999 plus 4 more digits that must not round it into 20:00.
    const last = before[before.length - 1]
    last.time = hour - 1
    last.subMillisecondDigits = '9999'
    return [...before, ...after]
  },
}

const ROTATING_IPS = Array.from({ length: 40 }, (_, i) => `203.0.113.${100 + i}`)

const rotatingAddresses: ScenarioDefinition = {
  id: 'rotating-ip-spray',
  title: 'Spray through 40 rotating gateway addresses',
  nature: 'attack',
  sourceIps: ROTATING_IPS,
  fingerprint: { appDisplayName: APPS.aadPowerShell.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.msolSpray },
  window: { start: dayTime(1, 1, 0), end: dayTime(1, 3, 0) },
  probedUsernames: 175,
  expectedFindings: [],
  ruleOutcome: '200 names over two hours from 40 addresses in 203.0.113.0/24, but each address tries only 2 or 3 per hour.',
  extended: {
    findings: [],
    escalationCodes: [],
    campaign: { ips: 40, userAgents: 1, uniqueUsernames: 200, verdict: 'High Confidence Enumeration', reasons: ['same ASN AS64503', 'same cadence in one AS', 'same cadence in one network', 'same user agent across IPs', 'shared /24'] },
    suppression: null,
    summary: 'A campaign of 40 addresses (same /24, same ASN, one user agent, one steady cadence): 200 distinct names together, High Confidence; 175 not found, 25 confirmed.',
  },
  triage:
    'Malicious: MSOLSpray behind an API-gateway proxy (FireProx style). Group by /24 or by tool fingerprint across addresses to see it: one user agent, one client id, 175 unknown names and 25 wrong passwords on real staff in two hours.',
  plan(context) {
    const tool = MSOLSPRAY
    const names = mixedList(context, 200, 8)
    const specs: SignInSpec[] = []
    for (const hourOffset of [25, 26]) {
      const hourStart = context.anchor + hourOffset * HOUR_MS
      ROTATING_IPS.forEach((ip, i) => {
        const count = 2 + ((i + hourOffset) % 2)
        const origin: Origin = { ip, place: PLACES.ashburn, asn: ASN.cloudGateway }
        specs.push(...probe(names.splice(0, count), origin, tool, hourStart, hourStart + HOUR_MS, context.rng))
      })
    }
    return specs
  },
}

const userAgentRotation: ScenarioDefinition = {
  id: 'user-agent-rotation',
  title: 'One address rotating 15 browser user agents',
  nature: 'attack',
  sourceIps: ['2001:db8:bad:1::17'],
  fingerprint: { appDisplayName: APPS.office.name, clientAppUsed: CLIENT_APP.modern, userAgent: `(${ROTATION_USER_AGENTS.length} rotating browser strings)` },
  window: { start: dayTime(0, 13, 0), end: dayTime(0, 13, 40) },
  probedUsernames: 42,
  expectedFindings: [],
  ruleOutcome: '42 names with the rule\'s codes in 40 minutes from one address, but the user agent changes on every attempt: no (address, client app, user agent) group holds more than 3.',
  extended: {
    findings: [],
    escalationCodes: [],
    campaign: { ips: 1, userAgents: 15, uniqueUsernames: 45, verdict: 'Moderate Enumeration', reasons: ['user-agent rotation'] },
    suppression: null,
    summary: 'A user-agent-rotation campaign: one address, 15 user agents, 45 distinct names (with its 50126 answers), Moderate.',
  },
  triage: 'Malicious. Grouping by address alone gives 42 names in one hour (Moderate); browser user agents on ROPC sign-ins are themselves odd.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.frankfurt, asn: ASN.vpsIpv6 }
    const tool: Tool = { app: APPS.office, resource: RESOURCES.exchange, client: scriptClient(ROTATION_USER_AGENTS[0]) }
    const targets = targetsFor(context, { missing: 40, locked: 2, wrongPassword: 3 })
    return probe(targets, origin, tool, at(context, this.window.start), at(context, this.window.end), context.rng, {
      userAgentFor: (attempt) => ROTATION_USER_AGENTS[attempt % ROTATION_USER_AGENTS.length],
    })
  },
}

const lowAndSlow: ScenarioDefinition = {
  id: 'low-and-slow',
  title: 'Low and slow: 3 to 5 names an hour for a day',
  nature: 'attack',
  sourceIps: ['192.0.2.33'],
  fingerprint: { appDisplayName: APPS.office.name, clientAppUsed: CLIENT_APP.modern, userAgent: TOOL_USER_AGENTS.pythonRequestsOld },
  window: { start: dayTime(1, 0, 0), end: dayTime(2, 0, 0) },
  probedUsernames: 80,
  expectedFindings: [],
  ruleOutcome: '96 names over 24 hours from one address, never more than 5 in an hour.',
  extended: {
    findings: [{ kind: 'low_and_slow', start: dayTime(1, 0), windowMinutes: 1440, verdict: 'Moderate Enumeration', uniqueUsernames: 80, notFound: 80, confirmed: 16, escalated: false }],
    escalationCodes: [],
    campaign: null,
    suppression: null,
    summary: 'A low-and-slow finding: 80 names with the rule\'s codes in 24 hours, Moderate on the long-window tiers (20 / 50 / 100); 16 accounts confirmed by 50126.',
  },
  triage: 'Malicious. A 24-hour look per address (80 unknown names, 16 wrong passwords on real staff, one constant script user agent) shows it.',
  plan(context) {
    const origin: Origin = { ip: this.sourceIps[0], place: PLACES.amsterdam, asn: ASN.hostingNl }
    const tool: Tool = { app: APPS.office, resource: RESOURCES.graph, client: scriptClient(TOOL_USER_AGENTS.pythonRequestsOld) }
    const names = mixedList(context, 96, 6)
    const specs: SignInSpec[] = []
    for (let hourOffset = 24; hourOffset < 48; hourOffset++) {
      const hourStart = context.anchor + hourOffset * HOUR_MS
      specs.push(...probe(names.splice(0, 3 + (hourOffset % 3)), origin, tool, hourStart, hourStart + HOUR_MS, context.rng))
    }
    return specs
  },
}

export const MISSED_ATTACKS: readonly ScenarioDefinition[] = [belowThreshold, splitHour, rotatingAddresses, userAgentRotation, lowAndSlow]
