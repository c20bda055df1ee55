import type { ClientBase } from 'pg'
import { LINKING } from '@/lib/campaigns/linking-rules'
import { EXISTING_ACCOUNT_CODES, PASSWORD_RIGHT_CODES, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { sqlFile } from '@/lib/sql-file'
import type { DeriveScope } from './scope'

/**
 * Escalations ("the password was right") of the findings a recompute can have changed, and the
 * findings it changed, for the detectors that read a finding's own fields (suppressions). A
 * full recompute looks at every finding; a scoped one at those fill-escalation-scope.sql names,
 * which give the same escalations as all of them (tests/integration/recompute-property.test.ts).
 */

const filled = new WeakSet<DeriveScope>()

/** Fills derive_changed_findings once per recompute, after the detectors that write findings. */
export async function changedFindings(db: ClientBase, datasetId: number, scope: DeriveScope): Promise<void> {
  if (scope.full || filled.has(scope)) return
  filled.add(scope)
  await db.query(sqlFile('derive/sql/fill-changed-findings.sql'), [datasetId, scope.lastFindingId, scope.from, scope.to])
}

/** Before the campaigns are recomputed: what each finding's campaign and each campaign's addresses were. */
export async function snapshotCampaignLinks(db: ClientBase, datasetId: number, scope: DeriveScope): Promise<void> {
  if (scope.full) return
  await db.query(sqlFile('derive/sql/snapshot-finding-campaigns.sql'), [datasetId])
  await db.query(sqlFile('derive/sql/snapshot-campaign-addresses.sql'), [datasetId])
}

export interface EscalationsRun {
  /** Findings whose escalations were recomputed. */
  findings: number
  /** Escalation rows deleted and inserted. */
  cleared: number
  inserted: number
}

export async function refreshEscalations(db: ClientBase, datasetId: number, settings: ExtendedSettings, scope: DeriveScope): Promise<EscalationsRun> {
  const horizon = `${settings.escalationHorizonDays} days`
  if (scope.full) {
    await db.query(sqlFile('derive/sql/fill-escalation-scope-all.sql'), [datasetId])
  } else {
    await changedFindings(db, datasetId, scope)
    await db.query(sqlFile('derive/sql/fill-succeeded-names.sql'), [datasetId, scope.from, scope.to, PASSWORD_RIGHT_CODES])
    await db.query(sqlFile('derive/sql/analyze-succeeded-names.sql'))
    await db.query(sqlFile('derive/sql/fill-escalation-scope.sql'), [datasetId, scope.from, horizon, EXISTING_ACCOUNT_CODES, PASSWORD_RIGHT_CODES, scope.sourceDelta === true, LINKING.minFailureShare])
  }
  return escalateScope(db, datasetId, settings, !scope.full)
}

/**
 * Replaces the escalations of the findings in escalation_scope (filled by the caller) and flags
 * them; `scoped`: read only what those findings can relate to, else one pass for all findings.
 */
export async function escalateScope(db: ClientBase, datasetId: number, settings: ExtendedSettings, scoped: boolean): Promise<EscalationsRun> {
  await db.query(sqlFile('derive/sql/analyze-escalation-scope.sql'))
  const { rows } = await db.query<EscalationsRun>(sqlFile('findings/sql/finding-escalations.sql'), [
    datasetId,
    PASSWORD_RIGHT_CODES,
    `${settings.escalationHorizonDays} days`,
    EXISTING_ACCOUNT_CODES,
    LINKING.minFailureShare,
    scoped,
  ])
  return rows[0]
}
