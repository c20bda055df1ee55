import type { FindingEvent } from './finding-details'

/** How many usernames the attempts-per-username chart draws (one line each). */
export const MAX_TIMELINE_USERNAMES = 60

/**
 * The attempts-per-username chart's data, reduced on the server: only the first usernames it
 * draws, each attempt as [minute from the bucket start, row], grouped by error code. Sending the
 * events themselves put every event in the page data a second time beside the events table.
 */
export interface UsernameTimeline {
  usernames: string[]
  totalUsernames: number
  series: { code: string; points: [number, number][] }[]
}

export function usernameTimeline(events: Pick<FindingEvent, 'createdAt' | 'userPrincipalName' | 'errorCode'>[], bucketStart: string): UsernameTimeline {
  const all = [...new Set(events.map((e) => e.userPrincipalName))]
  const usernames = all.slice(0, MAX_TIMELINE_USERNAMES)
  const index = new Map(usernames.map((u, i) => [u, i]))
  const start = Date.parse(bucketStart)
  const byCode = new Map<string, [number, number][]>()
  for (const code of [...new Set(events.map((e) => e.errorCode ?? '?'))].sort()) byCode.set(code, [])
  for (const e of events) {
    const row = index.get(e.userPrincipalName)
    if (row === undefined) continue
    byCode.get(e.errorCode ?? '?')!.push([(Date.parse(e.createdAt) - start) / 60_000, row])
  }
  return { usernames, totalUsernames: all.length, series: [...byCode].map(([code, points]) => ({ code, points })) }
}

/** The fields the events table shows; the rest of an event stays on the server. */
export type FindingEventRow = Pick<FindingEvent, 'id' | 'createdAt' | 'userPrincipalName' | 'errorCode' | 'appDisplayName' | 'failureReason'>

/** How many events the finding page sends with the page; the table loads the rest on request. */
export const FINDING_PAGE_EVENTS = 50

export function eventRows(events: FindingEvent[], limit = FINDING_PAGE_EVENTS): FindingEventRow[] {
  return events.slice(0, limit).map(({ id, createdAt, userPrincipalName, errorCode, appDisplayName, failureReason }) => ({ id, createdAt, userPrincipalName, errorCode, appDisplayName, failureReason }))
}

/** How many usernames the finding page sends with the page; the table loads the rest on request. */
export const FINDING_PAGE_USERNAMES = 100
