import type { ClientBase, Pool } from 'pg'
import { getPool } from '@/lib/db/database'
import { resolveExtendedSettings, type ExtendedSettings } from '@/lib/detection/extended-settings'
import { sqlFile } from '@/lib/sql-file'

/** A dataset's detection settings; the defaults when a lead never changed them. */
export async function datasetSettings(datasetId: number, db?: Pool | ClientBase): Promise<ExtendedSettings> {
  const client = db ?? (await getPool())
  const { rows } = await client.query<{ settings: unknown }>(sqlFile('tuning/sql/dataset-settings.sql'), [datasetId])
  return resolveExtendedSettings(rows[0]?.settings ?? {})
}
