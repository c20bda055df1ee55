import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { campaignErrorCodes, LINKING } from '@/lib/campaigns/linking-rules'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { getPool } from '@/lib/db/database'
import { recomputeDataset } from '@/lib/derive/recompute'
import { createScope } from '@/lib/derive/scope'
import { ingest } from '@/lib/ingest/pipeline'
import { sqlFile } from '@/lib/sql-file'
import { datasetSettings } from '@/lib/tuning/dataset-settings'
import { timed, type Timed } from './detection'

/**
 * "One source probing for days": one address trying 500 names around the clock, an attempt
 * every 10 s, so every hour of it is a High Confidence finding. The bench's portal CSV has only
 * short bursts; this is the shape that made the window queries of the recompute grow with
 * the square of a source's hours (docs/benchmarks.md).
 */

const STEP_MS = 10_000
const NAMES = 500
const START = Date.parse('2026-02-01T00:00:00Z')

/** LogScale NDJSON of `days` days of the source, streamed (a day is 8,640 events). */
export function longSourceNdjson(days: number): { stream: Readable; events: number } {
  const events = Math.round((days * 86_400_000) / STEP_MS)
  function* lines() {
    for (let i = 0; i < events; i += 1000) {
      let chunk = ''
      for (let k = i; k < Math.min(i + 1000, events); k++) {
        chunk += `${JSON.stringify({
          '@timestamp': START + k * STEP_MS,
          id: `long-${k}`,
          resultType: '50034',
          ipAddress: '198.18.77.77',
          userPrincipalName: `user${k % NAMES}@contoso.com`,
          clientAppUsed: 'Browser',
          userAgent: 'python-requests/2.31.0',
          appDisplayName: 'Azure Portal',
        })}\n`
      }
      yield chunk
    }
  }
  return { stream: Readable.from(lines()), events }
}

export async function loadLongSource(days: number): Promise<{ datasetId: number; events: number }> {
  const { id } = await findOrCreateDataset('long-source')
  const { stream, events } = longSourceNdjson(days)
  const report = await ingest({ datasetId: id, fileName: 'long-source.ndjson', source: stream })
  await recomputeDataset(id)
  if (report.status !== 'succeeded' || report.rowsInserted !== events) throw new Error(`long source: ${report.status}, ${report.rowsInserted} of ${events} rows${report.error ? `: ${report.error}` : ''}`)
  return { datasetId: id, events }
}

const baseline = (file: string) => readFileSync(path.join(import.meta.dirname, 'sql', file), 'utf8')

export interface WindowQueryTiming {
  label: string
  app: Timed<unknown[]>
  baseline: Timed<unknown[]>
  same: boolean
}

/** The app's sliding-window and low-and-slow queries beside their pairwise forms, with the parameters the recompute binds. */
export async function timeWindowQueries(datasetId: number, runs: number, baselineRuns: number): Promise<WindowQueryTiming[]> {
  const settings = await datasetSettings(datasetId)
  const sliding = [datasetId, settings.errorCodes, null, null, `${settings.slidingWindowMinutes} minutes`, settings.lowThreshold, settings.moderateThreshold, settings.highThreshold]
  const long = [datasetId, settings.errorCodes, null, null, `${settings.lowAndSlowWindowHours * 60} minutes`, settings.lowAndSlowLowThreshold, LINKING.minFailureShare]
  // The app reads which sources mostly fail from the totals the recompute keeps; the baseline
  // sums each source's history with the failure codes.
  const longBaseline = [...long, campaignErrorCodes(settings)]
  const client = await (await getPool()).connect()
  try {
    // The app's queries read the recompute's scope: here, every source (a full recompute's).
    await client.query('BEGIN')
    await createScope(client, datasetId, null, settings.windowMinutes)
    const timings: WindowQueryTiming[] = []
    for (const [label, app, pairwise, params, baselineParams] of [
      ['sliding windows', 'detection/sql/sliding-windows.sql', 'sliding-windows-pairwise.sql', sliding, sliding],
      ['low and slow', 'detection/sql/long-windows.sql', 'long-windows-pairwise.sql', long, longBaseline],
    ] as const) {
      const appTiming = await timed(runs, async () => (await client.query(sqlFile(app), params)).rows)
      const baselineTiming = await timed(baselineRuns, async () => (await client.query(baseline(pairwise), baselineParams)).rows, false)
      timings.push({ label, app: appTiming, baseline: baselineTiming, same: JSON.stringify(appTiming.result) === JSON.stringify(baselineTiming.result) })
    }
    await client.query('ROLLBACK')
    return timings
  } finally {
    client.release()
  }
}

/** A full recompute of the dataset (lib/derive/recompute.ts); the result is the findings it made. */
export async function timeRefresh(datasetId: number, runs: number): Promise<Timed<number>> {
  const pool = await getPool()
  return timed(runs, async () => {
    const result = await recomputeDataset(datasetId, { full: true })
    if (result.status !== 'current') throw new Error(`recompute: ${result.status}${result.error ? `: ${result.error}` : ''}`)
    return (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM findings WHERE dataset_id = $1', [datasetId])).rows[0].n
  })
}
