import { z } from 'zod'
import { getPool } from '@/lib/db/database'
import type { Verdict } from '@/lib/detection/verdicts'
import { sqlFile } from '@/lib/sql-file'
import { suppressionCriteriaShape } from './suppressions'

/**
 * What a suppression rule would hide, shown before it is saved: a lead sees the findings it
 * takes out of the default view, and is warned when one of them is Critical or escalated (a
 * probed password proved right), which a "known-benign" rule should almost never hide.
 */

export const suppressionPreviewSchema = z
  .object(suppressionCriteriaShape)
  .refine((r) => r.cidr || r.upnPattern || r.userAgentPattern || r.appName, { message: 'a rule needs at least one of: source range, username pattern, user agent, app' })

export interface SuppressionPreviewFinding {
  id: number
  datasetName: string
  ipAddress: string
  bucket: string
  kind: string
  verdict: Verdict
  uniqueUsernames: number
  escalated: boolean
  critical: boolean
  alreadySuppressed: boolean
}

export interface SuppressionPreview {
  total: number
  critical: number
  high: number
  findings: SuppressionPreviewFinding[]
}

const SHOWN = 50

export async function previewSuppression(input: unknown): Promise<SuppressionPreview> {
  const rule = suppressionPreviewSchema.parse(input)
  const pool = await getPool()
  const { rows } = await pool.query<{
    id: number
    dataset_name: string
    ip_address: string
    bucket: Date
    kind: string
    verdict: Verdict
    unique_usernames: number
    escalated: boolean
    critical: boolean
    suppressed_by_id: number | null
    total: number
    critical_total: number
    high_total: number
  }>(sqlFile('tuning/sql/preview-suppression.sql'), [rule.datasetId, rule.cidr, rule.upnPattern, rule.userAgentPattern, rule.appName, rule.expiresAt, SHOWN])
  return {
    total: rows[0]?.total ?? 0,
    critical: rows[0]?.critical_total ?? 0,
    high: rows[0]?.high_total ?? 0,
    findings: rows.map((r) => ({
      id: r.id,
      datasetName: r.dataset_name,
      ipAddress: r.ip_address,
      bucket: r.bucket.toISOString(),
      kind: r.kind,
      verdict: r.verdict,
      uniqueUsernames: Number(r.unique_usernames),
      escalated: r.escalated,
      critical: r.critical,
      alreadySuppressed: r.suppressed_by_id !== null,
    })),
  }
}
