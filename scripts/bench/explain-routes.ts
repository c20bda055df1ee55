import { readFileSync, statSync } from 'node:fs'
import { getPool } from '@/lib/db/database'
import type { AppServer } from './pages'
import type { PlanNode } from './username-search'

/**
 * What each route reads: one request per route to an app server started with the SQL trace
 * (trace-sql.cjs), then EXPLAIN (ANALYZE, BUFFERS) of every read statement that request sent,
 * in a transaction rolled back afterwards. The rows read from the event tables are the figure
 * that must not follow the dataset's size.
 */

const BIG_TABLES = ['sign_in_events', 'sign_in_hourly_rollup', 'sign_in_record_blocks']

export interface StatementPlan {
  label: string
  ms: number
  sharedBlocks: number
  /** Rows the plan's scans returned from each big table (actual rows × loops). */
  bigRows: Record<string, number>
}

export interface RoutePlans {
  route: string
  /** One request alone, with the trace on: its time and the size of its answer (HTML with the RSC payload, or JSON). */
  responseMs: number
  bytes: number
  statements: StatementPlan[]
  ms: number
  sharedBlocks: number
  bigRows: Record<string, number>
}

function label(text: string): string {
  const comment = /^\s*--\s*([^\n]*)/.exec(text)
  if (comment) return comment[1].slice(0, 70)
  return text.replace(/\s+/g, ' ').trim().slice(0, 70)
}

/** The big table a scanned relation belongs to: itself, or the table of its dataset's partition (`sign_in_events_d1`). */
function bigTable(relation: string | undefined): string | undefined {
  return relation ? BIG_TABLES.find((t) => relation === t || relation.startsWith(`${t}_d`)) : undefined
}

function scanRows(node: PlanNode, into: Record<string, number>) {
  const table = bigTable(node['Relation Name'])
  if (table) into[table] = (into[table] ?? 0) + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1)
  for (const child of node.Plans ?? []) scanRows(child, into)
}

export async function explainRoutes(app: AppServer, traceFile: string, routes: string[]): Promise<RoutePlans[]> {
  const pool = await getPool()
  const results: RoutePlans[] = []
  for (const route of routes) {
    const offset = statSync(traceFile, { throwIfNoEntry: false })?.size ?? 0
    const started = performance.now()
    const response = await fetch(`${app.origin}${route}`, { headers: { cookie: app.cookie }, redirect: 'manual' })
    const bytes = (await response.arrayBuffer()).byteLength
    const responseMs = performance.now() - started
    const lines = readFileSync(traceFile).subarray(offset).toString('utf8').split('\n').filter(Boolean)
    const statements: StatementPlan[] = []
    for (const line of lines) {
      const { text, values } = JSON.parse(line) as { text: string; values: unknown[] }
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values)
        const plan = rows[0]['QUERY PLAN'][0]
        const bigRows: Record<string, number> = {}
        scanRows(plan.Plan, bigRows)
        statements.push({ label: label(text), ms: plan['Execution Time'], sharedBlocks: (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0), bigRows })
      } catch (error) {
        statements.push({ label: `${label(text)} (not explained: ${(error as Error).message})`, ms: 0, sharedBlocks: 0, bigRows: {} })
      } finally {
        await client.query('ROLLBACK').catch(() => {})
        client.release()
      }
    }
    const bigRows: Record<string, number> = {}
    for (const s of statements) for (const [t, n] of Object.entries(s.bigRows)) bigRows[t] = (bigRows[t] ?? 0) + n
    results.push({
      route,
      responseMs,
      bytes,
      statements,
      ms: statements.reduce((n, s) => n + s.ms, 0),
      sharedBlocks: statements.reduce((n, s) => n + s.sharedBlocks, 0),
      bigRows,
    })
  }
  return results
}
