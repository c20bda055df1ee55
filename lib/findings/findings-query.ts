import { VERDICTS } from '@/lib/detection/verdicts'
import { pageText, parseDate, parseId } from '@/lib/http/edge-input'
import { REVIEW_STATUSES, TRIAGE_STATUSES, type ReviewStatus, type TriageStatus } from '@/lib/triage/triage-model'

/**
 * The state of the findings table — filters, sort, page — as it travels in the URL (so a view
 * can be shared by link and survives a reload) and in /api/findings. One parser for both.
 */

export const FINDING_SORT_KEYS = [
  'bucket',
  'ipAddress',
  'clientAppUsed',
  'userAgent',
  'uniqueUsernames',
  'attemptCount',
  'enumerationRatePerMin',
  'durationMinutes',
  'verdict',
  'firstSeen',
  'lastSeen',
  'dataset',
  'status',
  'owner',
  'severity',
  'confirmedAccounts',
] as const
export type FindingSortKey = (typeof FINDING_SORT_KEYS)[number]

export interface SortSpec {
  id: FindingSortKey
  desc: boolean
}

export const DEFAULT_SORT: SortSpec[] = [
  { id: 'uniqueUsernames', desc: true },
  { id: 'attemptCount', desc: true },
  { id: 'bucket', desc: false },
  { id: 'ipAddress', desc: false },
]

export const PAGE_SIZES = [25, 50, 100, 250] as const

export interface FindingsQuery {
  datasetIds: number[] | null
  verdicts: string[] | null
  clientApps: string[] | null
  from: Date | null
  to: Date | null
  search: string | null
  /** Triage status filter (a finding nobody touched is "new"). */
  statuses: TriageStatus[] | null
  /** "me", "none" (unassigned) or a user id. */
  owner: 'me' | 'none' | number | null
  review: ReviewStatus | null
  /** parity: the reference rule's hourly findings only (the default); extended: also sliding and low-and-slow. */
  mode: 'parity' | 'extended'
  suppressed: 'hide' | 'show' | 'only'
  /** Only findings whose probed passwords later proved right (closed ones included: they need a second look). */
  escalatedOnly: boolean
  sort: SortSpec[]
  page: number
  pageSize: number
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams

function all(params: Params, key: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(key)
  const value = params[key]
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

function one(params: Params, key: string): string | undefined {
  return all(params, key)[0]
}

const SORT_PART = new RegExp(`^(${FINDING_SORT_KEYS.join('|')})(\\.(asc|desc))?$`)
const OWNER = /^(me|none|\d{1,10})$/

/**
 * What is wrong with these parameters, in words (empty when nothing is): the API answers 400
 * with them, where the pages fall back to the defaults (parseFindingsQuery).
 */
export function findingsQueryProblems(params: Params): string[] {
  const problems: string[] = []
  const oneOf = (key: string, allowed: readonly string[]) => {
    for (const value of all(params, key)) {
      if (value !== '' && !allowed.includes(value)) problems.push(`${key} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`)
    }
  }
  for (const value of all(params, 'dataset')) if (parseId(value) === null) problems.push(`dataset must be a dataset id, not ${JSON.stringify(value)}`)
  for (const key of ['from', 'to']) {
    const value = one(params, key)
    if (value && !parseDate(value)) problems.push(`${key} must be an ISO 8601 date or time (year 0001 to 9999), not ${JSON.stringify(value)}`)
  }
  oneOf('verdict', VERDICTS)
  oneOf('status', TRIAGE_STATUSES)
  oneOf('review', REVIEW_STATUSES)
  oneOf('mode', ['parity', 'extended'])
  oneOf('suppressed', ['hide', 'show', 'only'])
  oneOf('escalated', ['only'])
  const sort = one(params, 'sort')
  if (sort) {
    for (const part of sort.split(',')) if (!SORT_PART.test(part)) problems.push(`sort must be key.asc or key.desc with keys ${FINDING_SORT_KEYS.join(', ')}, not ${JSON.stringify(part)}`)
  }
  const size = one(params, 'size')
  if (size && !(PAGE_SIZES as readonly number[]).includes(Number(size))) problems.push(`size must be one of ${PAGE_SIZES.join(', ')}, not ${JSON.stringify(size)}`)
  const page = one(params, 'page')
  if (page && !/^[1-9]\d{0,8}$/.test(page)) problems.push(`page must be a positive integer, not ${JSON.stringify(page)}`)
  const owner = one(params, 'owner')
  if (owner && (!OWNER.test(owner) || (/^\d/.test(owner) && parseId(owner) === null))) problems.push(`owner must be me, none or a user id, not ${JSON.stringify(owner)}`)
  for (const key of ['q', 'app']) for (const value of all(params, key)) if (pageText(value) === null) problems.push(`${key} may not contain a NUL character`)
  return problems
}

/** Reads the query from URL parameters; anything malformed falls back to its default. */
export function parseFindingsQuery(params: Params): FindingsQuery {
  const datasetIds = all(params, 'dataset')
    .map(parseId)
    .filter((n): n is number => n !== null)
  const verdicts = all(params, 'verdict').filter((v) => (VERDICTS as readonly string[]).includes(v))
  const clientApps = all(params, 'app').filter((app) => pageText(app) !== null)
  const sort = (one(params, 'sort') ?? '')
    .split(',')
    .map((part) => {
      const [id, direction] = part.split('.')
      return { id: id as FindingSortKey, desc: direction === 'desc' }
    })
    .filter((s) => (FINDING_SORT_KEYS as readonly string[]).includes(s.id))
  const pageSize = Number(one(params, 'size'))
  const page = Number(one(params, 'page'))
  const from = parseDate(one(params, 'from'))
  const to = parseDate(one(params, 'to'))
  const search = (pageText(one(params, 'q')) ?? '').trim()
  const statuses = all(params, 'status').filter((v): v is TriageStatus => (TRIAGE_STATUSES as readonly string[]).includes(v))
  const ownerText = one(params, 'owner')
  const owner = ownerText === 'me' || ownerText === 'none' ? ownerText : parseId(ownerText)
  const review = one(params, 'review')
  const suppressed = one(params, 'suppressed')
  return {
    datasetIds: datasetIds.length ? datasetIds : null,
    verdicts: verdicts.length ? verdicts : null,
    clientApps: clientApps.length ? clientApps : null,
    from,
    to,
    search: search === '' ? null : search.slice(0, 200),
    statuses: statuses.length ? statuses : null,
    owner,
    review: (REVIEW_STATUSES as readonly string[]).includes(review ?? '') ? (review as ReviewStatus) : null,
    mode: one(params, 'mode') === 'extended' ? 'extended' : 'parity',
    suppressed: suppressed === 'show' || suppressed === 'only' ? suppressed : 'hide',
    escalatedOnly: one(params, 'escalated') === 'only',
    sort: sort.length ? sort : DEFAULT_SORT,
    page: Number.isInteger(page) && page > 0 && page < 1e9 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : 50,
  }
}

/** The inverse of parseFindingsQuery: defaults are left out so links stay short. */
export function findingsQueryToParams(query: Partial<FindingsQuery>): URLSearchParams {
  const params = new URLSearchParams()
  for (const id of query.datasetIds ?? []) params.append('dataset', String(id))
  for (const v of query.verdicts ?? []) params.append('verdict', v)
  for (const a of query.clientApps ?? []) params.append('app', a)
  if (query.from) params.set('from', query.from.toISOString())
  if (query.to) params.set('to', query.to.toISOString())
  if (query.search) params.set('q', query.search)
  for (const status of query.statuses ?? []) params.append('status', status)
  if (query.owner !== null && query.owner !== undefined) params.set('owner', String(query.owner))
  if (query.review) params.set('review', query.review)
  if (query.mode === 'extended') params.set('mode', 'extended')
  if (query.suppressed && query.suppressed !== 'hide') params.set('suppressed', query.suppressed)
  if (query.escalatedOnly) params.set('escalated', 'only')
  const sort = query.sort ?? DEFAULT_SORT
  if (JSON.stringify(sort) !== JSON.stringify(DEFAULT_SORT)) params.set('sort', sort.map((s) => `${s.id}.${s.desc ? 'desc' : 'asc'}`).join(','))
  if (query.page && query.page > 1) params.set('page', String(query.page))
  if (query.pageSize && query.pageSize !== 50) params.set('size', String(query.pageSize))
  return params
}

/** The last page of a result of `total` rows (page 1 when there is none). */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize))
}
