import type { ClientBase, Pool } from 'pg'
import { datasetSettings } from '@/lib/tuning/dataset-settings'
import { campaignErrorCodes } from './linking-rules'

/**
 * The codes a dataset's campaigns were computed with (its settings' codes plus 50126/50057), so
 * that the detail views read the same failed sign-ins the grouping counted.
 */
export async function datasetCampaignCodes(db: Pool | ClientBase, datasetId: number): Promise<string[]> {
  return campaignErrorCodes(await datasetSettings(datasetId, db))
}
