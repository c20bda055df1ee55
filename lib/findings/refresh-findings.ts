import type { ClientBase } from 'pg'
import { getPool } from '@/lib/db/database'
import { chooseSource, detectionParameters, resolveSettings, type DetectionSettings } from '@/lib/detection/enumeration'
import { sqlFile } from '@/lib/sql-file'

export type FindingKind = 'hourly' | 'sliding' | 'low_and_slow'

/** refresh-findings.sql around a detection query; the kind is one of the fixed words above. */
export function upsertFindingsSql(kind: FindingKind, detectionSql: string): string {
  return sqlFile('findings/sql/refresh-findings.sql')
    .replace('{{detection}}', () => detectionSql)
    .replaceAll('{{kind}}', kind)
}

/**
 * Keeps the stored hourly findings equal to what the reference rule finds in the events.
 * Part of refreshAllFindings (each import's transaction, settings changes).
 */
export async function refreshFindings(db: ClientBase, datasetId: number, settings?: Partial<DetectionSettings>): Promise<number> {
  const resolved = resolveSettings(settings)
  const detection = sqlFile(
    chooseSource(resolved.windowMinutes, null, null, resolved.appListSize) === 'rollup' ? 'detection/sql/findings-from-rollup.sql' : 'detection/sql/findings-from-events.sql',
  )
  const result = await db.query<{ findings: number }>(upsertFindingsSql('hourly', detection), detectionParameters({ datasetIds: [datasetId] }, resolved))
  return result.rows[0]?.findings ?? 0
}

/** Recomputes findings of datasets imported into since their findings were last computed. */
export async function refreshStaleFindings(): Promise<number> {
  const { refreshAllFindings } = await import('./refresh-all-findings')
  const pool = await getPool()
  const { rows } = await pool.query<{ id: number }>(sqlFile('findings/sql/stale-datasets.sql'))
  for (const { id } of rows) {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      await refreshAllFindings(client, id, 'recompute')
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK')
      throw error
    } finally {
      client.release()
    }
  }
  return rows.length
}
