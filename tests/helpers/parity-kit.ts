import { expect } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { findEnumeration, findingToJson, type FindingsQuery, type Verdict } from '@/lib/detection/enumeration'
import { findingsJson, ingestContent } from './ingest'

// The parity suites' shared vocabulary (docs/reference/reference-rule.md, "parity mode"): one day, one
// source, LogScale events built field by field, the findings written as the CLI prints them, and
// a check that the app's path and both SQL variants give the same hand-checked answer.

export const DAY = '2026-03-02'
export const CLIENT = 'Browser'
export const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'
export const APP = 'Azure Portal'
export const IP = '203.0.113.10'
export const LOW: Verdict = 'Low-Level Enumeration'
export const MODERATE: Verdict = 'Moderate Enumeration'
export const HIGH: Verdict = 'High Confidence Enumeration'

/** Epoch milliseconds of a UTC time of day on DAY, e.g. at('10:00:05.123'). */
export const at = (time: string) => Date.parse(`${DAY}T${time}Z`)
/** The text the CLI prints for a UTC time of day on DAY (ISO 8601, always milliseconds). */
export const iso = (time: string) => `${DAY}T${time.includes('.') ? time : `${time}.000`}Z`
export const user = (i: number) => `user${String(i).padStart(2, '0')}@contoso.com`
export const users = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => user(from + k))

/** One LogScale event; a field given as undefined is absent from the JSON, null is written as null. */
export interface Ev {
  t: number
  upn?: unknown
  code?: unknown
  ip?: unknown
  client?: unknown
  ua?: unknown
  app?: unknown
  id?: string
}
let idSeq = 0
/** The next number for a made-up event id, unique within a test file. */
export function nextSeq(): number {
  return ++idSeq
}
export function logscale(e: Ev): Record<string, unknown> {
  return {
    '@timestamp': e.t,
    id: e.id ?? `ev-${nextSeq()}`,
    resultType: 'code' in e ? e.code : '50034',
    ipAddress: 'ip' in e ? e.ip : IP,
    userPrincipalName: e.upn,
    clientAppUsed: 'client' in e ? e.client : CLIENT,
    userAgent: 'ua' in e ? e.ua : UA,
    appDisplayName: 'app' in e ? e.app : APP,
  }
}
export const ndjson = (events: Ev[]) => events.map((e) => JSON.stringify(logscale(e))).join('\n') + '\n'

/** n users user<first>..user<first+n-1>, one attempt each, stepMs apart from `start`. */
export function burst(n: number, start: string, fields: Partial<Omit<Ev, 't' | 'upn'>> = {}, options: { first?: number; stepMs?: number } = {}): Ev[] {
  const first = options.first ?? 1
  const step = options.stepMs ?? 1000
  return Array.from({ length: n }, (_, k) => ({ ...fields, t: at(start) + k * step, upn: user(first + k) }))
}

export async function load(dataset: string, content: Ev[] | string, fileName = 'events.ndjson', format = 'logscale') {
  const report = await ingestContent(dataset, fileName, typeof content === 'string' ? content : ndjson(content))
  expect(report.status, report.error ?? '').toBe('succeeded')
  expect(report.format).toBe(format)
  expect(report.rowsRejected, JSON.stringify(report.rejections)).toBe(0)
  return report
}

export interface Want {
  bucket: string
  ip?: string
  client?: string
  ua?: string
  unique: number
  attempts: number
  sample: string[]
  apps?: string[]
  first: string
  last: string
  minutes: number
  rate: number
  verdict: Verdict
}
export const finding = (w: Want) => ({
  bucket: iso(w.bucket),
  ipAddress: w.ip ?? IP,
  clientAppUsed: w.client ?? CLIENT,
  userAgent: w.ua ?? UA,
  uniqueUsernames: w.unique,
  attemptCount: w.attempts,
  usernameSample: w.sample,
  appList: w.apps ?? [APP],
  firstSeen: iso(w.first),
  lastSeen: iso(w.last),
  durationMinutes: w.minutes,
  enumerationRatePerMin: w.rate,
  verdict: w.verdict,
})

/**
 * The rollup can answer when the window is whole hours, the range is on window boundaries and the
 * app list is at most the 10 names a rollup row keeps.
 */
export function rollupCanAnswer(query: Omit<FindingsQuery, 'datasetIds'>): boolean {
  const windowMs = (query.settings?.windowMinutes ?? 60) * 60_000
  const aligned = (d?: Date | null) => !d || d.getTime() % windowMs === 0
  return windowMs % 3_600_000 === 0 && aligned(query.from) && aligned(query.to) && (query.settings?.appListSize ?? 10) <= 10
}

/** The same hand-checked findings from the app's path and from each SQL variant that can answer. */
export async function expectFindings(dataset: string, expected: unknown[], query: Omit<FindingsQuery, 'datasetIds'> = {}) {
  const { id } = await findOrCreateDataset(dataset)
  expect(await findingsJson(dataset, query), 'findings as the app runs the detection').toStrictEqual(expected)
  expect((await findEnumeration({ ...query, datasetIds: [id] }, 'events')).map(findingToJson), 'findings-from-events.sql').toStrictEqual(expected)
  if (rollupCanAnswer(query)) {
    expect((await findEnumeration({ ...query, datasetIds: [id] }, 'rollup')).map(findingToJson), 'findings-from-rollup.sql').toStrictEqual(expected)
  }
}
