import { getPool } from '@/lib/db/database'
import { escalateScope } from '@/lib/derive/escalations'
import { useRecomputeSettings } from '@/lib/derive/recompute'
import { datasetSettings } from '@/lib/tuning/settings-store'
import { sqlFile } from '@/lib/sql-file'

/**
 * The escalations of every finding of the dataset's biggest campaign through the scoped path
 * (what an append does when it changes a campaign's addresses: all its findings are in scope),
 * beside the full recompute's one pass over every finding of the dataset, in the same run. Each
 * runs in a transaction that is rolled back; the escalations both give the campaign's findings
 * must be the same.
 */
export interface CampaignEscalationsTiming {
  campaignFindings: number
  datasetFindings: number
  scopedMs: number
  fullMs: number
  same: boolean
}

async function escalationsOf(datasetId: number, scope: 'campaign' | 'all', campaignId: number): Promise<{ ms: number; rows: string[] }> {
  const pool = await getPool()
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await useRecomputeSettings(client)
    const settings = await datasetSettings(datasetId, client)
    await client.query(sqlFile('derive/sql/create-change-tables.sql'))
    if (scope === 'all') await client.query(sqlFile('derive/sql/fill-escalation-scope-all.sql'), [datasetId])
    else await client.query('INSERT INTO escalation_scope (finding_id) SELECT id FROM findings WHERE dataset_id = $1 AND campaign_id = $2', [datasetId, campaignId])
    const started = performance.now()
    await escalateScope(client, datasetId, settings, scope === 'campaign')
    const ms = performance.now() - started
    const { rows } = await client.query<{ row: string }>(
      `SELECT ROW(e.finding_id, e.user_principal_name, e.event_id, e.error_code, e.ip_address, e.relation)::text AS row
       FROM finding_escalations e JOIN findings f ON f.id = e.finding_id
       WHERE f.dataset_id = $1 AND f.campaign_id = $2 ORDER BY 1`,
      [datasetId, campaignId],
    )
    return { ms, rows: rows.map((r) => r.row) }
  } finally {
    await client.query('ROLLBACK')
    client.release()
  }
}

export async function timeCampaignEscalations(datasetId: number): Promise<CampaignEscalationsTiming | null> {
  const pool = await getPool()
  const { rows } = await pool.query<{ campaign_id: number; findings: number; all: number }>(
    `SELECT campaign_id, count(*)::int AS findings, (SELECT count(*)::int FROM findings WHERE dataset_id = $1) AS all
     FROM findings WHERE dataset_id = $1 AND campaign_id IS NOT NULL
     GROUP BY campaign_id ORDER BY count(*) DESC, campaign_id LIMIT 1`,
    [datasetId],
  )
  if (rows.length === 0) return null
  const { campaign_id: campaignId, findings, all } = rows[0]
  const scoped = await escalationsOf(datasetId, 'campaign', campaignId)
  const full = await escalationsOf(datasetId, 'all', campaignId)
  return {
    campaignFindings: findings,
    datasetFindings: all,
    scopedMs: scoped.ms,
    fullMs: full.ms,
    same: scoped.rows.length === full.rows.length && scoped.rows.every((row, i) => row === full.rows[i]),
  }
}
