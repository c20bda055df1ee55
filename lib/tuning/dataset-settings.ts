import type { Actor } from '@/lib/auth/actor'
import { recordAuditOn } from '@/lib/auth/audit'
import { lockDataset } from '@/lib/datasets/dataset-lock'
import { getPool } from '@/lib/db/database'
import { markFullRecompute } from '@/lib/derive/derived-state'
import { recomputeDataset } from '@/lib/derive/recompute'
import { DEFAULT_EXTENDED_SETTINGS, resolveExtendedSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { RequestError } from '@/lib/errors'
import { sqlFile } from '@/lib/sql-file'
import { datasetSettings } from './settings-store'

export { datasetSettings } from './settings-store'

/**
 * The settings a change asks for: the fields it names over the current ones, validated as a
 * whole. Filling the gaps from the defaults instead would silently undo a lead's earlier tuning
 * of every field the request left out, and validating the change alone would let `{ lowThreshold }`
 * pass above the current moderate threshold.
 */
export function mergeSettings(current: ExtendedSettings, change: unknown): ExtendedSettings {
  if (change === null || typeof change !== 'object' || Array.isArray(change)) throw new RequestError(400, 'settings must be a JSON object of the fields to change')
  // A misspelt field would otherwise be dropped and the request succeed without changing anything.
  const unknown = Object.keys(change).filter((key) => !Object.hasOwn(DEFAULT_EXTENDED_SETTINGS, key))
  if (unknown.length > 0) throw new RequestError(400, `unknown setting(s): ${unknown.slice(0, 5).map((key) => key.slice(0, 40)).join(', ')}`)
  return resolveExtendedSettings({ ...current, ...change })
}

/**
 * Saves a change (any subset of the fields) and recomputes the dataset's findings with it: the
 * save marks everything derived as to be recomputed in its transaction, and the recompute
 * (lib/derive/recompute.ts) runs right after it; if that fails the settings stay saved and the
 * dataset shows the failure until a retry. A change that leaves every setting as it is saves
 * nothing, recomputes nothing and leaves no audit entry.
 */
export async function saveDatasetSettings(datasetId: number, change: unknown, actor: Actor): Promise<ExtendedSettings> {
  const pool = await getPool()
  const client = await pool.connect()
  let before: ExtendedSettings
  let settings: ExtendedSettings
  try {
    await client.query('BEGIN')
    // Read what the change is merged into under the lock the save holds anyway: two leads saving
    // different fields at the same time then both keep theirs.
    await lockDataset(client, datasetId)
    before = await datasetSettings(datasetId, client)
    settings = mergeSettings(before, change)
    if (JSON.stringify(settings) === JSON.stringify(before)) {
      await client.query('ROLLBACK')
      return before
    }
    await client.query(sqlFile('tuning/sql/save-dataset-settings.sql'), [datasetId, JSON.stringify(settings), actor.user.id])
    await markFullRecompute(client, datasetId, 'settings')
    await recordAuditOn(client, actor, 'settings.update', { type: 'dataset', id: datasetId }, before, settings)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
  await recomputeDataset(datasetId)
  return settings
}
