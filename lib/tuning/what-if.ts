import { findEnumeration } from '@/lib/detection/enumeration'
import { ruleSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { VERDICTS, type Verdict } from '@/lib/detection/verdicts'
import { datasetSettings, mergeSettings } from './dataset-settings'

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

/** `change` is merged into the current settings as a save would merge it, so the preview shows what saving it does. */
export async function whatIf(datasetId: number, change: unknown): Promise<WhatIf> {
  const currentSettings = await datasetSettings(datasetId)
  const settings = mergeSettings(currentSettings, change)
  const [current, next] = await Promise.all([tierCounts(datasetId, currentSettings), tierCounts(datasetId, settings)])
  return { current, proposed: next, change: Object.fromEntries(VERDICTS.map((v) => [v, next[v] - current[v]])) as Record<Verdict, number>, settings }
}
