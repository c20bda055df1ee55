import type { Verdict } from '@/lib/detection/verdicts'
import { someEmployees, unknownPeople, type Directory } from './directory'
import { CODE } from './error-codes'
import type { SignInSpec } from './graph-sign-in'
import { existing, missing, type Target } from './probe'
import type { Random } from './random'
import { minutesAfter } from './timeline'

/**
 * What a demo scenario is: a description anyone can read (DEMO_SCENARIOS) plus the plan that
 * produces its sign-ins. The expected findings are written out as literals rather than computed,
 * so a reader sees them and a test compares them with what the SQL really finds.
 */

export interface ExpectedFinding {
  /** The finding's hour bucket, in hours after the anchor. */
  hour: number
  verdict: Verdict
  uniqueUsernames: number
  attemptCount: number
}

/** A finding of the extended detection (docs/detection.md, "Beyond the rule"). */
export interface ExtendedFinding {
  kind: 'hourly' | 'sliding' | 'low_and_slow'
  /** Start of the finding's window, in minutes after the anchor. */
  start: number
  windowMinutes: number
  verdict: Verdict
  uniqueUsernames: number
  /** Distinct names answered "no such user" (50034). */
  notFound: number
  /** Distinct accounts confirmed to exist (50053, 50055, 50056, 50126, 50057). */
  confirmed: number
  /** Escalated to Critical: a probed account's password proved right. */
  escalated: boolean
}

/** What the extended detection reports for a scenario, with its default settings. */
export interface ExtendedOutcome {
  /** Every finding on the scenario's addresses, of every kind, in time order. */
  findings: readonly ExtendedFinding[]
  /** The codes that escalate its findings to Critical ("the password was right"), sorted; empty when none. */
  escalationCodes: readonly string[]
  /** The campaign its addresses form when one finding per address cannot show the whole activity. */
  campaign: { ips: number; userAgents: number; uniqueUsernames: number; verdict: Verdict; reasons: readonly string[] } | null
  /** The suppression rule a lead writes from a seeded template for a known false positive. */
  suppression: { template: string; cidr: string; appName?: string; reason: string } | null
  /** In a line, for the table in docs/detection.md. */
  summary: string
}

export interface DemoScenario {
  id: string
  title: string
  /** Ground truth: what the activity really is. */
  nature: 'attack' | 'benign'
  /** Every address the activity comes from, as PostgreSQL prints it (IPv6 in RFC 5952 form). */
  sourceIps: readonly string[]
  fingerprint: { appDisplayName: string; clientAppUsed: string; userAgent: string }
  /** When it happens, in minutes after the anchor: [start, end). */
  window: { start: number; end: number }
  /** Distinct user names the source tried with one of the rule's codes, over the whole window. */
  probedUsernames: number
  /** What the reference rule reports for these addresses; empty when the rule misses the activity. */
  expectedFindings: readonly ExpectedFinding[]
  /** Why the rule finds it or misses it. */
  ruleOutcome: string
  /** What the detection beyond the rule reports (tests/integration/proof-scenarios.test.ts checks it). */
  extended: ExtendedOutcome
  /** What the analyst should conclude, and from what. */
  triage: string
}

export interface PlanContext {
  anchor: number
  directory: Directory
  rng: Random
}

export interface ScenarioDefinition extends DemoScenario {
  plan(context: PlanContext): SignInSpec[]
}

/** Epoch milliseconds at `minutes` after the anchor. */
export function at(context: PlanContext, minutes: number): number {
  return minutesAfter(context.anchor, minutes)
}

/** How many names of each kind a user list holds. Only the first four count for the rule. */
export interface TargetMix {
  missing: number
  locked?: number
  expired?: number
  noPassword?: number
  /** Real accounts answering 50126: enumeration evidence the rule does not count. */
  wrongPassword?: number
}

/** A user list with this mix: invented names for `missing`, distinct real employees for the rest. */
export function targetsFor(context: PlanContext, mix: TargetMix): Target[] {
  const { rng, directory } = context
  const counts = [mix.locked ?? 0, mix.expired ?? 0, mix.noPassword ?? 0, mix.wrongPassword ?? 0]
  const people = someEmployees(rng, directory, counts.reduce((a, b) => a + b, 0))
  const take = (n: number) => people.splice(0, n)
  return [
    ...missing(unknownPeople(rng, directory, mix.missing)),
    ...existing(take(counts[0]), CODE.locked),
    ...existing(take(counts[1]), CODE.expired),
    ...existing(take(counts[2]), CODE.noPassword),
    ...existing(take(counts[3]), CODE.wrongPassword),
  ]
}
