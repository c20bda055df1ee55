import { describe, expect, it } from 'vitest'
import type { FindingEvent } from '@/lib/findings/finding-details'
import { eventRows, MAX_TIMELINE_USERNAMES, usernameTimeline } from '@/lib/findings/username-timeline'

const bucket = '2026-01-05T10:00:00.000Z'
function event(i: number, user: string, code: string | null, minute: number): FindingEvent {
  return {
    id: String(i),
    createdAt: new Date(Date.parse(bucket) + minute * 60_000).toISOString(),
    userPrincipalName: user,
    errorCode: code,
    appDisplayName: 'Azure Portal',
    failureReason: null,
    isInteractive: true,
    sourceFormat: 'entra-csv',
    sourceEventId: `s${i}`,
  }
}

describe('usernameTimeline', () => {
  it('groups attempts by code as [minute, row] with rows in first-seen order', () => {
    const t = usernameTimeline([event(1, 'b@x', '50034', 1.5), event(2, 'a@x', '50126', 2), event(3, 'b@x', null, 3)], bucket)
    expect(t.usernames).toEqual(['b@x', 'a@x'])
    expect(t.totalUsernames).toBe(2)
    expect(t.series).toEqual([
      { code: '50034', points: [[1.5, 0]] },
      { code: '50126', points: [[2, 1]] },
      { code: '?', points: [[3, 0]] },
    ].sort((x, y) => (x.code < y.code ? -1 : 1)))
  })

  it('draws only the first usernames but counts them all', () => {
    const events = Array.from({ length: MAX_TIMELINE_USERNAMES + 5 }, (_, i) => event(i, `u${i}@x`, '50034', i / 10))
    const t = usernameTimeline(events, bucket)
    expect(t.usernames).toHaveLength(MAX_TIMELINE_USERNAMES)
    expect(t.totalUsernames).toBe(MAX_TIMELINE_USERNAMES + 5)
    expect(t.series[0].points).toHaveLength(MAX_TIMELINE_USERNAMES)
  })
})

describe('eventRows', () => {
  it('keeps the first events and only the fields the table shows', () => {
    const rows = eventRows([event(1, 'a@x', '50034', 0), event(2, 'b@x', '50126', 1)], 1)
    expect(rows).toEqual([{ id: '1', createdAt: bucket, userPrincipalName: 'a@x', errorCode: '50034', appDisplayName: 'Azure Portal', failureReason: null }])
  })
})
