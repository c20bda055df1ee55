import { getPool } from '@/lib/db/database'
import { chooseSource, detectionParameters, findEnumeration, findingToJson, resolveSettings, toFinding, type Finding, type FindingRow } from '@/lib/detection/enumeration'
import { sqlFile } from '@/lib/sql-file'

/**
 * Detection latency: findEnumeration as the app runs it (hourly window over the whole dataset,
 * so the rollup path) against the same rule over the raw events with every index scan switched
 * off: what the query costs without the indexes and the rollup.
 */

export interface Timed<T> {
  ms: number[]
  median: number
  result: T
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The median of `runs` timed runs, after one untimed warm-up unless `warmUp` is false (for baselines that take minutes). */
export async function timed<T>(runs: number, work: () => Promise<T>, warmUp = true): Promise<Timed<T>> {
  if (warmUp) await work() // plan caches, first-touch of pages; not counted
  const ms: number[] = []
  let result: T | undefined
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    result = await work()
    ms.push(performance.now() - started)
  }
  return { ms, median: median(ms), result: result as T }
}

export type FindingJson = ReturnType<typeof findingToJson> & { datasetId: number }

function asJson(f: Finding): FindingJson {
  return { datasetId: f.datasetId, ...findingToJson(f) }
}

export async function timeAppDetection(datasetId: number, runs: number): Promise<Timed<FindingJson[]>> {
  const settings = resolveSettings()
  if (chooseSource(settings.windowMinutes) !== 'rollup') throw new Error('the default settings no longer choose the rollup path')
  return timed(runs, async () => (await findEnumeration({ datasetIds: [datasetId] })).map(asJson))
}

/** findings-from-events.sql with index scans off, on one connection, mapped as the app maps rows. */
export async function timeBaselineDetection(datasetId: number, runs: number): Promise<Timed<FindingJson[]>> {
  const settings = resolveSettings()
  const pool = await getPool()
  const client = await pool.connect()
  try {
    await client.query('SET enable_indexscan = off')
    await client.query('SET enable_bitmapscan = off')
    await client.query('SET enable_indexonlyscan = off')
    const params = detectionParameters({ datasetIds: [datasetId] }, settings)
    return await timed(runs, async () => {
      const { rows } = await client.query<FindingRow>(sqlFile('detection/sql/findings-from-events.sql'), params)
      return rows.map((row) => asJson(toFinding(row)))
    })
  } finally {
    await client.query('RESET ALL').catch(() => {})
    client.release()
  }
}

export function verdictCounts(findings: FindingJson[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const f of findings) counts[f.verdict] = (counts[f.verdict] ?? 0) + 1
  return counts
}

/** The first difference between two finding lists, or null when they are identical. */
export function firstDifference(a: FindingJson[], b: FindingJson[]): string | null {
  if (a.length !== b.length) return `${a.length} findings vs ${b.length}`
  for (let i = 0; i < a.length; i++) {
    const x = JSON.stringify(a[i])
    const y = JSON.stringify(b[i])
    if (x !== y) return `finding ${i + 1} differs:\n    ${x}\n    ${y}`
  }
  return null
}
