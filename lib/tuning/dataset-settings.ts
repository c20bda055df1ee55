import type { ClientBase, Pool } from 'pg'
import type { Actor } from '@/lib/auth/actor'
import { recordAudit } from '@/lib/auth/audit'
import { getPool, getPrisma } from '@/lib/db/database'
import { resolveExtendedSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { refreshAllFindings } from '@/lib/findings/refresh-all-findings'
import { sqlFile } from '@/lib/sql-file'

/** A dataset's detection settings; the defaults when a lead never changed them. */
export async function datasetSettings(datasetId: number, db?: Pool | ClientBase): Promise<ExtendedSettings> {
  const client = db ?? (await getPool())
  const { rows } = await client.query<{ settings: unknown }>(sqlFile('tuning/sql/dataset-settings.sql'), [datasetId])
  return resolveExtendedSettings(rows[0]?.settings ?? {})
}

/** Saves new settings and recomputes the dataset's findings with them, in one transaction. */
export async function saveDatasetSettings(datasetId: number, proposed: unknown, actor: Actor): Promise<ExtendedSettings> {
  const settings = resolveExtendedSettings(proposed)
  const before = await datasetSettings(datasetId)
  const pool = await getPool()
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query(sqlFile('tuning/sql/save-dataset-settings.sql'), [datasetId, JSON.stringify(settings), actor.user.id])
    await refreshAllFindings(client, datasetId)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
  await recordAudit(await getPrisma(), actor, 'settings.update', { type: 'dataset', id: datasetId }, before, settings)
  return settings
}
