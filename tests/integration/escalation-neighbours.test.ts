import { beforeAll, describe, expect, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { graphRecord, ndjson, query, run } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// Regression: one probed name, two findings in different networks, and a later success from an
// address that is a neighbour of only one of them. The other finding's candidate has no relation
// to that address; it used to slip through because the address was *someone's* neighbour, and
// the NULL relation made the whole import fail on finding_escalations' NOT NULL constraint.
useTestDatabase()

const T0 = Date.parse('2026-03-02T00:00:00Z')
let seq = 0
const at = (minutes: number, upn: string, ip: string, code: number) =>
  graphRecord(seq, {
    id: `esc-${String(seq++).padStart(6, '0')}`,
    createdDateTime: new Date(T0 + minutes * 60_000).toISOString(),
    userPrincipalName: upn,
    ipAddress: ip,
    status: { errorCode: code },
  })

const records = [
  // Finding A in 198.18.1.0/24 probes alice and 11 others …
  ...Array.from({ length: 12 }, (_, i) => at(10 * 60 + i, i === 0 ? 'alice@contoso.com' : `a${i}@contoso.com`, '198.18.1.5', i === 0 ? 50056 : 50034)),
  // … finding B, in another network and with other targets, probes alice too.
  ...Array.from({ length: 12 }, (_, i) => at(10 * 60 + 30 + i, i === 0 ? 'alice@contoso.com' : `b${i}@contoso.com`, '203.0.113.9', i === 0 ? 50056 : 50034)),
  // Alice's password proves right from A's neighbour, a gateway of the same pool that mostly fails.
  ...Array.from({ length: 4 }, (_, i) => at(11 * 60 + 40 + i, `x${i}@contoso.com`, '198.18.1.77', 50034)),
  at(12 * 60, 'alice@contoso.com', '198.18.1.77', 0),
]

let datasetId: number

beforeAll(async () => {
  datasetId = (await findOrCreateDataset('escalation-neighbours')).id
  const report = await run('escalation-neighbours', 'signins.json', ndjson(records))
  expect(report.rowsInserted).toBe(records.length)
})

describe('escalation through a neighbour address', () => {
  it('escalates only the finding whose network the address is in, and stores every event', async () => {
    const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_events WHERE dataset_id = $1', [datasetId])
    expect(n).toBe(records.length)
    const findings = await query<{ ip: string; escalated: boolean }>(
      'SELECT host(ip_address) AS ip, escalated FROM findings WHERE dataset_id = $1 AND kind = $2 ORDER BY ip_address',
      [datasetId, 'hourly'],
    )
    expect(findings).toEqual([
      { ip: '198.18.1.5', escalated: true },
      { ip: '203.0.113.9', escalated: false },
    ])
    const escalations = await query<{ relation: string; ip: string; user: string }>(
      `SELECT fe.relation, host(fe.ip_address) AS ip, fe.user_principal_name AS user
         FROM finding_escalations fe JOIN findings f ON f.id = fe.finding_id WHERE f.dataset_id = $1`,
      [datasetId],
    )
    expect(escalations).toEqual([{ relation: 'same /24', ip: '198.18.1.77', user: 'alice@contoso.com' }])
  })
})
