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
const at = (minutes: number, upn: string, ip: string) =>
  graphRecord(seq, {
    id: `slow-${String(seq++).padStart(6, '0')}`,
    createdDateTime: new Date(T0 + minutes * 60_000).toISOString(),
    userPrincipalName: upn,
    ipAddress: ip,
    status: { errorCode: 50034 },
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
})
