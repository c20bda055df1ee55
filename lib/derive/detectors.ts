import type { ClientBase } from 'pg'
import { campaignErrorCodes } from '@/lib/campaigns/linking-rules'
import { refreshCampaignDetails } from '@/lib/campaigns/campaign-details'
import { keepCampaigns, refreshCampaigns } from '@/lib/campaigns/refresh-campaigns'
import { appendReachesCampaigns, updateSourceTotals } from '@/lib/campaigns/source-totals'
import { EXISTING_ACCOUNT_CODES, NOT_FOUND_CODES, ruleSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { sqlFile } from '@/lib/sql-file'
import { changedFindings, refreshEscalations, snapshotCampaignLinks } from './escalations'
import { refreshHourlyFindings } from './hourly-findings'
import type { DeriveScope } from './scope'
import { refreshSlidingFindingsAfterAppend } from './sliding-after-append'
import { refreshLowAndSlowFindings } from './window-findings'

/**
 * Why the findings are recomputed: new events (an import) can put activity nobody judged into a
 * window that moves, so a closed triage record moving with it is reopened; new settings or a
 * recomputation of the same events only move the window over what was judged.
 */
export type RecomputeCause = 'import' | 'settings' | 'recompute'

export interface DeriveContext {
  db: ClientBase
  datasetId: number
  settings: ExtendedSettings
  scope: DeriveScope
  cause: RecomputeCause
}

export interface Detector {
  name: string
  /** May say how many findings it looked at (`{ findings }`), which the run records. */
  run(context: DeriveContext): Promise<unknown>
}

const MOVE_LABEL: Record<RecomputeCause, string> = {
  import: 'system: new events moved the window',
  settings: 'system: new detection settings moved the window',
  recompute: 'system: a recomputation moved the window',
}

/**
 * Marks the findings an active suppression rule covers (also run on its own when a rule
 * changes); `findingIds`: only those (after an append, the findings it changed), else all.
 */
export async function applySuppressions(db: ClientBase, datasetId: number, findingIds: number[] | null = null): Promise<{ findings: number }> {
  const { rows } = await db.query<{ findings: number }>(sqlFile('findings/sql/apply-suppressions.sql'), [datasetId, findingIds])
  return { findings: rows[0].findings }
}

async function changedFindingIds(c: DeriveContext): Promise<number[] | null> {
  if (c.scope.full) return null
  await changedFindings(c.db, c.datasetId, c.scope)
  const { rows } = await c.db.query<{ ids: number[] }>(sqlFile('derive/sql/changed-finding-ids.sql'))
  return rows[0].ids
}

/**
 * Everything derived from a dataset's events, in dependency order: each step reads what the
 * ones before it wrote. After an append each reads what the appended events can change: the
 * rule's windows of the range, the sources failing in it, the findings those reach, and for the
 * campaigns the sources that mostly fail (see docs/database.md "Derived state").
 */
export const DETECTORS: readonly Detector[] = [
  // the reference rule's hourly findings (parity mode): the scope's time range
  { name: 'hourly findings', run: (c) => refreshHourlyFindings(c.db, c.datasetId, c.scope, ruleSettings(c.settings)) },
  // each source's attempts and failures (whether it mostly fails, for low and slow, campaigns and
  // escalations): in full from the rollup, after an append by adding the appended events
  {
    name: 'source totals',
    run: async (c) => {
      const totals = await updateSourceTotals(c.db, c.datasetId, campaignErrorCodes(c.settings), c.scope.full)
      c.scope.sourceDelta = totals.added
    },
  },
  // sliding-window peaks over the hourly findings, or findings of their own: the scope's sources;
  // after an append, those failing in the appended hours, around those hours (./sliding-after-append.ts)
  { name: 'sliding windows', run: (c) => refreshSlidingFindingsAfterAppend(c.db, c.datasetId, c.settings, c.scope) },
  // low-and-slow windows, unless the shorter findings hold half their names: the scope's sources
  { name: 'low and slow', run: (c) => refreshLowAndSlowFindings(c.db, c.datasetId, c.settings) },
  // triage records of windows that moved follow them: the records without a finding, of the scope's sources
  {
    name: 'triage re-attachment',
    run: (c) => c.db.query(sqlFile('triage/sql/reattach-triage-records.sql'), [c.datasetId, c.cause === 'import', MOVE_LABEL[c.cause], !c.scope.full]),
  },
  // campaigns across rotating IPs and user agents: the sources the totals say mostly fail (their
  // components cross sources), unless the appended events reached none of them, before or after;
  // what they were before is kept for the escalations to see whose campaign changed
  {
    name: 'campaigns',
    run: async (c) => {
      await snapshotCampaignLinks(c.db, c.datasetId, c.scope)
      if (c.scope.sourceDelta === true && !(await appendReachesCampaigns(c.db, c.datasetId))) return keepCampaigns(c.db, c.datasetId)
      return refreshCampaigns(c.db, c.datasetId, c.settings, { totalsUpToDate: true })
    },
  },
  // what the campaign pages show (hourly timeline, confirmed accounts): the campaigns whose
  // sources changed
  { name: 'campaign details', run: (c) => refreshCampaignDetails(c.db, c.datasetId, c.settings, c.scope.full ? null : c.scope.from) },
  // names not found vs accounts confirmed, per finding: the scope's sources; after an append, their
  // findings the detectors before may have changed
  {
    name: 'yield',
    run: async (c) => {
      await changedFindings(c.db, c.datasetId, c.scope)
      const { rows } = await c.db.query<{ findings: number }>(sqlFile('findings/sql/findings-yield.sql'), [c.datasetId, EXISTING_ACCOUNT_CODES, NOT_FOUND_CODES, !c.scope.full])
      return { findings: rows[0].findings }
    },
  },
  // a probed account whose password later proved right, from any related address: the findings
  // changed, those whose names, campaign or neighbours the scope reaches (./escalations.ts)
  { name: 'escalations', run: (c) => refreshEscalations(c.db, c.datasetId, c.settings, c.scope) },
  // suppression rules over the findings changed (a rule's own change re-applies it to all)
  {
    name: 'suppressions',
    run: async (c) => applySuppressions(c.db, c.datasetId, await changedFindingIds(c)),
  },
]
