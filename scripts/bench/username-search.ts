import { getPool } from '@/lib/db/database'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { findingsStatement } from '@/lib/findings/list-findings'

/**
 * Username search as `/findings?q=` runs it (lib/findings/sql/list-findings.sql, every kind of
 * finding), beside the same statement with index scans off in the same run: what the search
 * would cost without the trigram index. Both must return the same findings.
 */

export interface SearchTerm {
  /** What is typed in the search box. */
  term: string
  /** What it was taken from: a name the biggest finding counted outside its 25-name sample. */
  username: string
  findingId: number
}

/** A name counted by the dataset's biggest finding but not in its sample, as its local part. */
export async function pickSearchTerm(datasetId: number): Promise<SearchTerm | null> {
  const pool = await getPool()
  const { rows } = await pool.query<{ id: number; name: string }>(
    `SELECT f.id, r.user_principal_name AS name
       FROM (SELECT * FROM findings WHERE dataset_id = $1 ORDER BY unique_usernames DESC, id LIMIT 1) f
       JOIN sign_in_hourly_rollup r
         ON r.dataset_id = f.dataset_id AND r.ip_address = f.ip_address AND r.client_app_used = f.client_app_used
        AND r.user_agent = f.user_agent AND r.bucket >= date_trunc('hour', f.bucket)
        AND r.bucket < f.bucket + make_interval(mins => f.window_minutes) AND r.error_code = ANY(f.error_codes)
      WHERE r.user_principal_name <> '' AND NOT r.user_principal_name = ANY(f.username_sample)
      ORDER BY r.user_principal_name LIMIT 1`,
    [datasetId],
  )
  if (!rows[0]) return null
  return { term: rows[0].name.split('@')[0], username: rows[0].name, findingId: rows[0].id }
}

export interface SearchTiming {
  ms: number[]
  median: number
  findingIds: number[]
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Runs the findings table's search statement `runs` times (after one warm-up) on one client. */
export async function timeSearch(datasetId: number, term: string, runs: number, indexScans: boolean): Promise<SearchTiming> {
  const pool = await getPool()
  const client = await pool.connect()
  const query = parseFindingsQuery({ dataset: String(datasetId), q: term, mode: 'extended', size: '250' })
  const { sql, values } = findingsStatement(query)
  try {
    await client.query('BEGIN')
    if (!indexScans) await client.query('SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexonlyscan = off')
    let findingIds: number[] = []
    const ms: number[] = []
    for (let i = 0; i <= runs; i++) {
      const started = performance.now()
      const { rows } = await client.query<{ id: number }>(sql, values(null, 250, 0))
      if (i > 0) ms.push(performance.now() - started)
      findingIds = rows.map((r) => r.id).sort((a, b) => a - b)
    }
    return { ms, median: median(ms), findingIds }
  } finally {
    await client.query('ROLLBACK').catch(() => {})
    client.release()
  }
}

/** The search's plan: which indexes it used, and the buffers it touched. */
export async function explainSearch(datasetId: number, term: string): Promise<{ indexes: string[]; sharedBlocks: number; ms: number }> {
  const pool = await getPool()
  const query = parseFindingsQuery({ dataset: String(datasetId), q: term, mode: 'extended', size: '250' })
  const { sql, values } = findingsStatement(query)
  const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, values(null, 250, 0))
  const plan = rows[0]['QUERY PLAN'][0]
  const indexes = new Set<string>()
  const visit = (node: PlanNode) => {
    if (node['Index Name']) indexes.add(node['Index Name'])
    for (const child of node.Plans ?? []) visit(child)
  }
  visit(plan.Plan)
  return { indexes: [...indexes].sort(), sharedBlocks: (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0), ms: plan['Execution Time'] }
}

export interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Actual Rows'?: number
  'Actual Loops'?: number
  'Shared Hit Blocks'?: number
  'Shared Read Blocks'?: number
  Plans?: PlanNode[]
}
