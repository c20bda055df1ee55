import { getPool } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'

/** After an upload failed: removes its dataset if the upload created it and nothing ever arrived in it. */
export async function dropDatasetIfNothingArrived(datasetId: number): Promise<boolean> {
  const pool = await getPool()
  const { rowCount } = await pool.query(sqlFile('uploads/sql/drop-empty-upload-dataset.sql'), [datasetId])
  return (rowCount ?? 0) > 0
}
