import type { ClientBase } from 'pg'
import { chooseSource, detectionParameters, resolveSettings, type DetectionSettings } from '@/lib/detection/enumeration'
import { sqlFile } from '@/lib/sql-file'
import type { DeriveScope } from './scope'

export type FindingKind = 'hourly' | 'sliding' | 'low_and_slow'

/** refresh-findings.sql around a detection query; the kind is one of the fixed words above. */
export function upsertFindingsSql(kind: FindingKind, detectionSql: string): string {
  return sqlFile('findings/sql/refresh-findings.sql')
    .replace('{{detection}}', () => detectionSql)
    .replaceAll('{{kind}}', kind)
}

/**
 * Keeps the stored hourly findings equal to what the reference rule finds in the events: the
 * buckets of the scope's time range (all of them in a full recompute) are found again, the
 * others cannot have changed. Needs the recompute's derive_scope table (lib/derive/scope.ts).
 */
export async function refreshHourlyFindings(db: ClientBase, datasetId: number, scope: DeriveScope, settings?: Partial<DetectionSettings>): Promise<number> {
  const resolved = resolveSettings(settings)
  const detection = sqlFile(
    chooseSource(resolved.windowMinutes, scope.from, scope.to, resolved.appListSize) === 'rollup' ? 'detection/sql/findings-from-rollup.sql' : 'detection/sql/findings-from-events.sql',
  )
  const result = await db.query<{ findings: number }>(
    upsertFindingsSql('hourly', detection),
    detectionParameters({ datasetIds: [datasetId], from: scope.from, to: scope.to }, resolved),
  )
  return result.rows[0]?.findings ?? 0
}
