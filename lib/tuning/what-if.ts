import { findEnumeration } from '@/lib/detection/enumeration'
import { resolveExtendedSettings, ruleSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { VERDICTS, type Verdict } from '@/lib/detection/verdicts'
import { datasetSettings } from './dataset-settings'

/**
 * "What if": the reference rule's findings per tier under the proposed settings next to the
 * current ones, computed live from the events, before anything is saved.
 */
export interface WhatIf {
  current: Record<Verdict, number>
  proposed: Record<Verdict, number>
  /** proposed − current, per tier */
  change: Record<Verdict, number>
  settings: ExtendedSettings
}

async function tierCounts(datasetId: number, settings: ExtendedSettings): Promise<Record<Verdict, number>> {
  const findings = await findEnumeration({ datasetIds: [datasetId], settings: ruleSettings(settings) })
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>
  for (const f of findings) counts[f.verdict]++
  return counts
}

export async function whatIf(datasetId: number, proposed: unknown): Promise<WhatIf> {
  const settings = resolveExtendedSettings(proposed)
  const [current, next] = await Promise.all([tierCounts(datasetId, await datasetSettings(datasetId)), tierCounts(datasetId, settings)])
  return { current, proposed: next, change: Object.fromEntries(VERDICTS.map((v) => [v, next[v] - current[v]])) as Record<Verdict, number>, settings }
}
