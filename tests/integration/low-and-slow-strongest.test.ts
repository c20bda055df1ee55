import { beforeAll, describe, expect, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { graphRecord, ndjson, query, run } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// Low and slow reports the strongest window. A source probes 8 new names every hour for ten
// hours (80 names). Where two hours' names sit on either side of the hour, the sliding window
// finds 16 of them at a time: five small findings that, pooled, cover every name. The one
// window holding all 80 is what they add up to, and it must be reported beside them.
useTestDatabase()

const T0 = Date.parse('2026-03-02T00:00:00Z')
let seq = 0
const at = (minutes: number, upn: string, ip: string, extra: Record<string, unknown> = {}) =>
  graphRecord(seq, {
    id: `slow-${String(seq++).padStart(6, '0')}`,
    createdDateTime: new Date(T0 + minutes * 60_000).toISOString(),
    userPrincipalName: upn,
    ipAddress: ip,
    status: { errorCode: 50034 },
    ...extra,
  })

const START = 8 * 60
const records = [
  // Paired: the names of an even hour at its end, those of the next hour at its start.
  ...Array.from({ length: 80 }, (_, i) => {
    const hour = Math.floor(i / 8)
    const minute = hour % 2 === 0 ? 50 + (i % 8) : i % 8
    return at(START + hour * 60 + minute, `p${i}@contoso.com`, '198.18.20.1')
  }),
  // Even: one name every 7.5 minutes, never 10 in any hour.
  ...Array.from({ length: 80 }, (_, i) => at(START + i * 7.5, `e${i}@contoso.com`, '198.18.20.2')),
]

let datasetId: number
const byIp = (ip: string) =>
  query<{ kind: string; bucket: Date; unique_usernames: number; verdict: string }>(
    'SELECT kind, bucket, unique_usernames, verdict FROM findings WHERE dataset_id = $1 AND host(ip_address) = $2 ORDER BY kind, bucket',
    [datasetId, ip],
  )

beforeAll(async () => {
  datasetId = (await findOrCreateDataset('low-and-slow')).id
  expect((await run('low-and-slow', 'slow.json', ndjson(records))).rowsInserted).toBe(records.length)
})

// One address, two sources: an office whose people mistype their passwords over the day (30
// names, but most of its sign-ins succeed) and a tool probing a name every 20 minutes from the
// same address. Only the tool's source qualifies, with its own names; the recompute reads the
// history of the sources that mostly fail alone (long-windows.sql), after an append too.
const SHARED = '198.18.20.3'
const OFFICE_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'
const TOOL_AGENT = 'python-requests/2.31'
const signIn = (minutes: number, upn: string, code: number, userAgent: string) => at(minutes, upn, SHARED, { userAgent, status: { errorCode: code } })
const office = [
  ...Array.from({ length: 30 }, (_, i) => signIn(START + i * 30, `staff${i}@contoso.com`, 50056, OFFICE_AGENT)),
  ...Array.from({ length: 120 }, (_, i) => signIn(START + i * 7, `staff${i % 30}@contoso.com`, 0, OFFICE_AGENT)),
]
const tool = (from: number, count: number) => Array.from({ length: count }, (_, i) => signIn(START + (from + i) * 20, `t${from + i}@contoso.com`, 50034, TOOL_AGENT))
const slowOfShared = () =>
  query<{ user_agent: string; bucket: Date; unique_usernames: number; verdict: string }>(
    "SELECT user_agent, bucket, unique_usernames, verdict FROM findings WHERE dataset_id = $1 AND host(ip_address) = $2 AND kind = 'low_and_slow' ORDER BY user_agent",
    [datasetId, SHARED],
  )

describe('low and slow reports the strongest window', () => {
  it('one window holding all 80 names from the first hour, beside the sliding findings a string of small peaks makes', async () => {
    const found = await byIp('198.18.20.1')
    const slow = found.filter((f) => f.kind === 'low_and_slow')
    expect(slow.map((f) => [f.bucket.toISOString(), f.unique_usernames, f.verdict])).toEqual([['2026-03-02T08:00:00.000Z', 80, 'Moderate Enumeration']])
    const sliding = found.filter((f) => f.kind === 'sliding')
    expect(sliding.length).toBe(5)
    expect(sliding.every((f) => f.unique_usernames === 16)).toBe(true)
  })

  it('the same when no shorter window ever reaches the threshold', async () => {
    const found = await byIp('198.18.20.2')
    expect(found.map((f) => [f.kind, f.bucket.toISOString(), f.unique_usernames, f.verdict])).toEqual([['low_and_slow', '2026-03-02T08:00:00.000Z', 80, 'Moderate Enumeration']])
  })

  it('of the source that mostly fails, not of the office at the same address, and again after an append', async () => {
    expect((await run('low-and-slow', 'shared.json', ndjson([...office, ...tool(0, 40)]))).rowsInserted).toBe(office.length + 40)
    expect((await slowOfShared()).map((f) => [f.user_agent, f.bucket.toISOString(), f.unique_usernames, f.verdict])).toEqual([
      [TOOL_AGENT, '2026-03-02T08:00:00.000Z', 40, 'Low-Level Enumeration'],
    ])
    // Ten more names from the tool within the same day, in a file of their own: the scoped
    // recompute after it finds the one window holding all 50.
    expect((await run('low-and-slow', 'shared-more.json', ndjson(tool(40, 10)))).rowsInserted).toBe(10)
    expect((await slowOfShared()).map((f) => [f.user_agent, f.bucket.toISOString(), f.unique_usernames, f.verdict])).toEqual([
      [TOOL_AGENT, '2026-03-02T08:00:00.000Z', 50, 'Moderate Enumeration'],
    ])
  })
})
