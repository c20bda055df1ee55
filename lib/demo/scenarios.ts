import type { Directory } from './directory'
import { dressInOrder, type TimedSignIn } from './graph-sign-in'
import type { DemoSeeds } from './random'
import type { DemoScenario, ScenarioDefinition } from './scenario-kit'
import { BENIGN_FINDINGS } from './scenarios-benign'
import { DETECTED_ATTACKS } from './scenarios-detected'
import { MISSED_ATTACKS } from './scenarios-missed'
import { HOUR_MS } from './timeline'

/**
 * The labelled scenarios of the demo (docs/demo.md): what happens, from where, and what the
 * reference rule should make of it. Later features (sliding windows, campaign grouping, triage)
 * and their tests can point at these instead of at hard-coded addresses.
 */

export type { DemoScenario, ExpectedFinding } from './scenario-kit'

const DEFINITIONS: readonly ScenarioDefinition[] = [...DETECTED_ATTACKS, ...BENIGN_FINDINGS, ...MISSED_ATTACKS]

function describe({ plan: _plan, ...scenario }: ScenarioDefinition): DemoScenario {
  return scenario
}

export const DEMO_SCENARIOS: readonly DemoScenario[] = DEFINITIONS.map(describe)

export interface DatedFinding {
  scenarioId: string
  ipAddress: string
  bucket: Date
  verdict: DemoScenario['expectedFindings'][number]['verdict']
  uniqueUsernames: number
  attemptCount: number
}

/**
 * Every finding the reference rule should report for the demo at this anchor, in scenario order.
 * Only single-address scenarios have findings, so the address is the scenario's first.
 */
export function expectedDemoFindings(anchor: Date): DatedFinding[] {
  return DEMO_SCENARIOS.flatMap((scenario) =>
    scenario.expectedFindings.map((finding) => ({
      scenarioId: scenario.id,
      ipAddress: scenario.sourceIps[0],
      bucket: new Date(anchor.getTime() + finding.hour * HOUR_MS),
      verdict: finding.verdict,
      uniqueUsernames: finding.uniqueUsernames,
      attemptCount: finding.attemptCount,
    })),
  )
}

function* scenarioSignIns(seeds: DemoSeeds, directory: Directory, definition: ScenarioDefinition): Generator<TimedSignIn> {
  const part = `scenario:${definition.id}`
  const rng = seeds.random(part)
  yield* dressInOrder(definition.plan({ anchor: seeds.anchor, directory, rng }), seeds.ids(part), rng)
}

/** The sign-ins of every scenario, one time-ordered stream per scenario. */
export function scenarioStreams(seeds: DemoSeeds, directory: Directory): Generator<TimedSignIn>[] {
  return DEFINITIONS.map((definition) => scenarioSignIns(seeds, directory, definition))
}
