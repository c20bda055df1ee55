import type { ClientBase } from 'pg'
import { getPool } from '@/lib/db/database'
import { chooseSource, detectionParameters, resolveSettings, type DetectionSettings } from '@/lib/detection/enumeration'
import { sqlFile } from '@/lib/sql-file'

/**
 * Keeps the stored findings equal to what the detection finds in the events. Called inside
 * each import's transaction (so findings never lag behind the events they come from) and when
 * detection settings change.
 */
export async function refreshFindings(db: ClientBase, datasetId: number, settings?: Partial<DetectionSettings>): Promise<number> {
  const resolved = resolveSettings(settings)
  const detection = sqlFile(
    chooseSource(resolved.windowMinutes, null, null, resolved.appListSize) === 'rollup' ? 'detection/sql/findings-from-rollup.sql' : 'detection/sql/findings-from-events.sql',
  )
  const sql = sqlFile('findings/sql/refresh-findings.sql').replace('{{detection}}', () => detection)
  const result = await db.query<{ findings: number }>(sql, detectionParameters({ datasetIds: [datasetId] }, resolved))
  return result.rows[0]?.findings ?? 0
}

/** Recomputes findings of datasets imported into since their findings were last computed. */
export async function refreshStaleFindings(): Promise<number> {
  const pool = await getPool()
  const { rows } = await pool.query<{ id: number }>(
    `SELECT d.id FROM datasets d
      WHERE d.findings_computed_at IS NULL
         OR d.findings_computed_at < (SELECT max(finished_at) FROM import_jobs j WHERE j.dataset_id = d.id)`,
  )
  for (const { id } of rows) {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      await refreshFindings(client, id)
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
