import { getPrisma } from '@/lib/db/database'
import type { Verdict } from '@/lib/detection/verdicts'
import { sqlFile } from '@/lib/sql-file'
import { toFindingListRow, type FindingListDbRow, type FindingListRow } from './finding-row'
import type { FindingSortKey, FindingsQuery } from './findings-query'

export interface FindingsPage {
  rows: FindingListRow[]
  total: number
  /** Findings per tier under the current filters except the tier filter. */
  tierCounts: Record<Verdict, number>
}

// Sort keys map to fixed SQL expressions: nothing from the URL ever reaches the SQL text.
const SORT_EXPRESSIONS: Record<FindingSortKey, string> = {
  bucket: 'bucket',
  ipAddress: 'ip',
  clientAppUsed: 'client_app_used',
  userAgent: 'user_agent',
  uniqueUsernames: 'unique_usernames',
  attemptCount: 'attempt_count',
  enumerationRatePerMin: 'enumeration_rate_per_min',
  durationMinutes: 'duration_minutes',
  verdict: 'unique_usernames',
  firstSeen: 'first_seen',
  lastSeen: 'last_seen',
  dataset: 'dataset_name',
  status: `array_position(ARRAY['new','active','closed'], triage_status)`,
  owner: 'owner_email',
  confirmedAccounts: 'confirmed_accounts',
  severity: `array_position(ARRAY['low','medium','high','critical'], CASE WHEN escalated THEN 'critical' ELSE coalesce(severity, CASE verdict WHEN 'High Confidence Enumeration' THEN 'high' WHEN 'Moderate Enumeration' THEN 'medium' ELSE 'low' END) END)`,
}

/** Shorter text gives the trigram index nothing to look up; it matches IP, user agent and the sample. */
export const USERNAME_SEARCH_MIN_LENGTH = 3

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function orderBy(query: FindingsQuery): string {
  const terms = query.sort.map((s) => `${SORT_EXPRESSIONS[s.id]} ${s.desc ? 'DESC' : 'ASC'} NULLS LAST`)
  return [...terms, 'id ASC'].join(', ')
}

type Row = FindingListDbRow & { total: number; high_findings: number; moderate_findings: number; low_findings: number }

/**
 * The SQL text of the findings table's query and its bound values (the tier filter, limit and
 * offset vary between the page and its tier-count carrier). The bench times the username search
 * through it (scripts/bench/username-search.ts).
 */
export function findingsStatement(query: FindingsQuery, currentUserId: number | null = null) {
  const owner = query.owner === 'me' ? (currentUserId ?? -1) : query.owner === 'none' ? 0 : query.owner
  const sql = sqlFile('findings/sql/list-findings.sql').replaceAll('{{order_by}}', () => orderBy(query))
  const values = (verdicts: string[] | null, limit: number, offset: number): unknown[] => [
    query.datasetIds,
    verdicts,
    query.clientApps,
    query.from,
    query.to,
    query.search ? `%${escapeLike(query.search)}%` : null,
    limit,
    offset,
    query.statuses,
    owner,
    query.review,
    query.mode === 'parity' ? ['hourly'] : null,
    query.suppressed,
    query.escalatedOnly,
    (query.search?.length ?? 0) >= USERNAME_SEARCH_MIN_LENGTH,
  ]
  return { sql, values }
}

/** The findings table's rows for a query; `currentUserId` resolves the "my findings" filter. */
export async function listFindings(query: FindingsQuery, currentUserId: number | null = null): Promise<FindingsPage> {
  const prisma = await getPrisma()
  const { sql, values } = findingsStatement(query, currentUserId)
  const run = (verdicts: string[] | null, limit: number, offset: number) => prisma.$queryRawUnsafe<Row[]>(sql, ...values(verdicts, limit, offset))
  const rows = await run(query.verdicts, query.pageSize, (query.page - 1) * query.pageSize)
  // The tier counts ride on the rows; an empty page (past the end, or a tier with no findings)
  // asks for one row without the tier filter to get them.
  const carrier = rows[0] ?? (await run(null, 1, 0))[0]
  const tierCounts: Record<Verdict, number> = {
    'High Confidence Enumeration': carrier?.high_findings ?? 0,
    'Moderate Enumeration': carrier?.moderate_findings ?? 0,
    'Low-Level Enumeration': carrier?.low_findings ?? 0,
  }
  const total = rows.length
    ? rows[0].total
    : Object.entries(tierCounts)
        .filter(([verdict]) => !query.verdicts || query.verdicts.includes(verdict))
        .reduce((sum, [, n]) => sum + n, 0)
  return { total, tierCounts, rows: rows.map(toFindingListRow) }
}

export async function listClientApps(datasetIds: number[] | null): Promise<string[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<{ client_app_used: string }[]>(sqlFile('findings/sql/list-client-apps.sql'), datasetIds)
  return rows.map((r) => r.client_app_used)
}
