import { describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { deleteDataset, findOrCreateDataset } from '@/lib/datasets/datasets'
import { datasetCompleteness } from '@/lib/datasets/completeness'
import { getDatasetSummary } from '@/lib/datasets/list-datasets'
import { getEventRecord, getEventRecords } from '@/lib/events/get-event-record'
import { RECORDS_PER_BLOCK } from '@/lib/events/record-blocks'
import { getOverview } from '@/lib/overview/get-overview'
import { getPool } from '@/lib/db/database'
import { PASSWORD_RIGHT_CODES } from '@/lib/detection/extended-settings'
import { eventDay, eventKey as eventKeyOf, sameEvent } from '@/lib/ingest/event-key'
import { readUserAgentSalt, userAgentKey } from '@/lib/events/user-agents'
import { graphRecord, ndjson, portalCsv, query, run } from '../helpers/ingest-kit'
import { readLog } from '../helpers/read-log'
import { useTestDatabase } from '../helpers/test-database'

// Event storage at incident scale (docs/database.md "Event storage"): original records in
// compressed blocks addressed by (block, line), a 64-bit key, an hourly summary kept by the
// import for the pages, and a dataset deleted whole without foreign keys on its events.
useTestDatabase()

interface StoredEvent {
  id: string
  source_event_id: string
  [key: string]: unknown
}

async function storedEvents(dataset: string): Promise<StoredEvent[]> {
  return query<StoredEvent>(
    `SELECT e.id::text AS id, coalesce(e.source_event_uuid::text, e.source_event_id) AS source_event_id FROM sign_in_events e JOIN datasets d ON d.id = e.dataset_id WHERE d.name = $1 ORDER BY e.id`,
    [dataset],
  )
}

/** sign_in_hourly_summary as the stored events give it (the migration's backfill, over the dataset). */
async function summaryFromEvents(dataset: string) {
  return query(
    `SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, coalesce(error_code, '') AS error_code,
            count(*)::int AS events, count(*) FILTER (WHERE is_interactive)::int AS interactive,
            count(*) FILTER (WHERE NOT is_interactive)::int AS non_interactive,
            count(*) FILTER (WHERE user_agent_id = user_agent_key(''))::int AS without_user_agent, count(*) FILTER (WHERE client_app_used = '')::int AS without_client_app,
            count(*) FILTER (WHERE app_display_name = '')::int AS without_app, count(*) FILTER (WHERE location_country IS NULL)::int AS without_location,
            count(*) FILTER (WHERE autonomous_system IS NULL)::int AS without_asn, count(*) FILTER (WHERE ip_address IS NULL)::int AS without_ip,
            count(*) FILTER (WHERE user_principal_name = '')::int AS without_upn, min(created_at) AS first_seen, max(created_at) AS last_seen
       FROM sign_in_events WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [dataset],
  )
}

async function storedSummary(dataset: string) {
  return query(
    `SELECT bucket, error_code, events, interactive, non_interactive, without_user_agent, without_client_app, without_app,
            without_location, without_asn, without_ip, without_upn, first_seen, last_seen
       FROM sign_in_hourly_summary WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) ORDER BY 1, 2`,
    [dataset],
  )
}

// Records over several hours, with and without fields, one in ten interactive-unknown.
function records(from: number, count: number) {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k
    return graphRecord(i, {
      createdDateTime: new Date(Date.parse('2026-03-02T10:00:00Z') + i * 7_000).toISOString(),
      status: { errorCode: i % 3 === 0 ? 0 : 50034, failureReason: i % 3 === 0 ? null : 'The user account does not exist' },
      userAgent: i % 5 === 0 ? '' : 'Mozilla/5.0',
      ipAddress: i % 11 === 0 ? '' : '203.0.113.45',
      marker: `record ${i} — ünïcode ✓`,
    })
  })
}

describe('original records in compressed blocks', () => {
  it('gives back every stored record exactly, across blocks and batches, duplicates left out', async () => {
    const first = records(1, RECORDS_PER_BLOCK * 2 + 37)
    // The second file repeats 100 events of the first (duplicates: not stored again) and adds more.
    const second = [...records(200, 100), ...records(600, 300)]
    const a = await run('blocks', 'a.json', ndjson(first), { batchSize: 200 })
    const b = await run('blocks', 'b.json', ndjson(second), { batchSize: 200 })
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded'])
    expect(b.rowsDuplicate).toBe(100)

    const events = await storedEvents('blocks')
    expect(events).toHaveLength(first.length + 300)
    const bySourceId = new Map([...first, ...second].map((r) => [r.id, JSON.stringify(r)]))
    const raws = await getEventRecords(events.map((e) => BigInt(e.id)))
    for (const event of events) expect(raws.get(event.id)).toBe(bySourceId.get(event.source_event_id))
    const one = await getEventRecord(BigInt(events[events.length - 1].id))
    expect(one).toMatchObject({ sourceFormat: 'graph', raw: bySourceId.get(events[events.length - 1].source_event_id) })
    expect(JSON.parse(one!.raw).marker).toMatch(/ünïcode ✓$/)

    // Compressed: far below the ~400 bytes of JSON each record takes as text.
    const [{ bytes, blocks }] = await query<{ bytes: number; blocks: number }>(
      `SELECT sum(octet_length(records))::int AS bytes, count(*)::int AS blocks FROM sign_in_record_blocks WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'blocks')`,
    )
    expect(bytes / events.length).toBeLessThan(150)
    expect(blocks).toBeGreaterThan(3)
  })

  it('gives back a CSV record as the reader keyed it, from the file\'s own text: quoted cells, line breaks, a duplicate, after an irregular row', async () => {
    const extra: Record<string, string>[] = [
      { 'Date (UTC)': '2026-03-02T11:00:00Z', 'Request ID': 'q-1', Username: 'Ünïcode@contoso.com', 'IP address': '203.0.113.9', 'Sign-in error code': '50126', 'User agent': 'a "quoted", comma' },
      { 'Date (UTC)': '2026-03-02T11:00:01Z', 'Request ID': 'q-2', Username: 'b@contoso.com', 'IP address': '203.0.113.9', 'Sign-in error code': '50126', 'Failure reason': 'two\r\nlines' },
      // A repeat of q-1 (not stored again: its line in the block stays empty).
      { 'Date (UTC)': '2026-03-02T11:00:00Z', 'Request ID': 'q-1', Username: 'other@contoso.com', 'IP address': '203.0.113.9', 'Sign-in error code': '50126' },
    ]
    // A stray quote in an unquoted cell: csv-parse reads the rest of the file (no text at hand).
    const content = portalCsv(RECORDS_PER_BLOCK + 20, { extra })
    const header = content.slice(0, content.indexOf('\r\n')).split(',')
    const after = (id: string, time: string) => header.map((h) => (h === '"Date (UTC)"' ? time : h === '"Request ID"' ? id : h === '"Sign-in error code"' ? '50126' : h === '"Username"' ? 'late@contoso.com' : h === '"IP address"' ? '203.0.113.9' : '')).join(',')
    const file = content + after('q-bad"x', '2026-03-02T11:00:02Z') + '\r\n' + after('q-3', '2026-03-02T11:00:03Z') + '\r\n'
    const report = await run('csv-blocks', 'InteractiveSignIns.csv', file, { batchSize: 100 })
    expect(report.status).toBe('succeeded')
    expect(report.rowsDuplicate).toBe(1)
    expect(report.rowsRejected).toBe(1)

    const expected = new Map<string, string>()
    for (const event of (await readLog(file, 'InteractiveSignIns.csv')).events) if (!expected.has(event.sourceEventId)) expected.set(event.sourceEventId, event.raw)
    const events = await storedEvents('csv-blocks')
    expect(events).toHaveLength(expected.size)
    expect(expected.has('q-3')).toBe(true)
    const raws = await getEventRecords(events.map((e) => BigInt(e.id)))
    for (const event of events) expect(raws.get(event.id)).toBe(expected.get(event.source_event_id))
    expect(JSON.parse(raws.get(events.find((e) => e.source_event_id === 'q-2')!.id)!)['Failure reason']).toBe('two\r\nlines')
    expect(JSON.parse(raws.get(events.find((e) => e.source_event_id === 'q-1')!.id)!)['User agent']).toBe('a "quoted", comma')
    const [{ encodings }] = await query<{ encodings: string[] }>(
      `SELECT array_agg(DISTINCT encoding) AS encodings FROM sign_in_record_blocks WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'csv-blocks')`,
    )
    expect(encodings).toEqual(['csv-br'])
  })

  it('keys each event by the first 8 bytes of md5 of its source id, the same in SQL', async () => {
    await run('keys', 'k.json', ndjson(records(1, 20)))
    const rows = await query<{ same: boolean }>(
      `SELECT event_key = ('x' || substr(md5(coalesce(source_event_uuid::text, source_event_id)), 1, 16))::bit(64)::bigint AS same FROM sign_in_events WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'keys')`,
    )
    expect(rows).toHaveLength(20)
    expect(rows.every((r) => r.same)).toBe(true)
  })
})

describe('user agents, once per dataset', () => {
  it('stores each user agent once and the key in the event, the same in SQL, and the format with the records', async () => {
    const agents = ['Mozilla/5.0', '', 'python-requests/2.31 \\ "tab\there"', 'Ünïcode ✓ agent']
    const report = await run('agents', 'a.json', ndjson(Array.from({ length: 40 }, (_, k) => graphRecord(k + 1, { userAgent: agents[k % agents.length] }))))
    expect(report.status, report.error ?? '').toBe('succeeded')
    const dictionary = await query<{ user_agent: string; same: boolean }>(
      `SELECT user_agent, user_agent_id = user_agent_key(user_agent) AS same FROM user_agents
        WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'agents') ORDER BY user_agent COLLATE "C"`,
    )
    expect(dictionary).toEqual([...agents].sort().map((user_agent) => ({ user_agent, same: true })))
    const events = await query<{ user_agent: string; n: number }>(
      `SELECT u.user_agent, count(*)::int AS n FROM sign_in_events e
         JOIN user_agents u ON u.dataset_id = e.dataset_id AND u.user_agent_id = e.user_agent_id
        WHERE e.dataset_id = (SELECT id FROM datasets WHERE name = 'agents') GROUP BY 1 ORDER BY u.user_agent COLLATE "C"`,
    )
    expect(events).toEqual([...agents].sort().map((user_agent) => ({ user_agent, n: 10 })))
    const [first] = await storedEvents('agents')
    expect(await getEventRecord(BigInt(first.id))).toMatchObject({ sourceFormat: 'graph' })
  })

  it('keys a user agent with the database\'s secret salt, the same in Node and in SQL, not by md5 of the text alone', async () => {
    const salt = await readUserAgentSalt(await getPool())
    expect(salt).toMatch(/^[0-9a-f]{64}$/)
    const agents = ['Mozilla/5.0', '', 'python-requests/2.31 \\ "tab\there"', 'Ünïcode ✓ agent']
    const rows = await query<{ user_agent: string; key: string; salted: string }>(
      `SELECT a AS user_agent, user_agent_key(a)::text AS key, ('x' || substr(md5(user_agent_key_salt() || a), 1, 16))::bit(64)::bigint::text AS salted
         FROM unnest($1::text[]) WITH ORDINALITY AS t(a, i) ORDER BY i`,
      [agents],
    )
    expect(rows.map((r) => r.key)).toEqual(agents.map((a) => userAgentKey(salt, a)))
    expect(rows.map((r) => r.salted)).toEqual(rows.map((r) => r.key))
    // Not the unkeyed md5 prefix an attacker could search for collisions offline.
    for (const a of agents) expect(userAgentKey(salt, a)).not.toBe(eventKeyOf(a))
    // Still inlined by the planner (a function call per event would be evaluated per row).
    const plan = await query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM sign_in_events e JOIN user_agents u ON u.dataset_id = e.dataset_id AND e.user_agent_id = user_agent_key(u.user_agent)`,
    )
    const text = plan.map((r) => r['QUERY PLAN']).join('\n')
    expect(text).toContain(`md5(('${salt}'::text || u.user_agent))`)
    expect(text).not.toContain('user_agent_key(')
  })

  it('refuses only the events whose user agent has the key of another one already stored, named by record, and keeps the rest', async () => {
    await run('clash', 'a.json', ndjson(records(1, 3)))
    // A stored user agent under the key of another text: what a crafted 64-bit collision looks like.
    await query(
      `INSERT INTO user_agents (dataset_id, user_agent_id, user_agent)
       SELECT id, user_agent_key('curl/8.0'), 'not curl' FROM datasets WHERE name = 'clash'`,
    )
    const report = await run('clash', 'b.json', ndjson([graphRecord(900, { userAgent: 'Mozilla/5.0' }), graphRecord(901, { userAgent: 'curl/8.0' }), graphRecord(902, { userAgent: 'curl/8.0' })]))
    expect(report).toMatchObject({ status: 'succeeded', rowsRead: 3, rowsInserted: 1, rowsRejected: 2, rowsDuplicate: 0 })
    expect(report.rejections.map((r) => r.recordNumber)).toEqual([2, 3])
    expect(report.rejections[0].reason).toMatch(/user agent "curl\/8.0" has the 64-bit key -?\d+ of another user agent of this dataset, "not curl"; the event is not stored/)
    expect(report.rejections[0].excerpt).toContain('curl/8.0')
    expect(await storedEvents('clash')).toHaveLength(4)
    // The dictionary still maps the key to the text stored first; no event of the other text went under it.
    const under = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sign_in_events WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'clash') AND user_agent_id = user_agent_key('curl/8.0')`,
    )
    expect(under).toEqual([{ n: 0 }])
  })

  it('refuses an event whose id has the key of another stored event, and keeps the rest of the file', async () => {
    await run('id-clash', 'a.json', ndjson(records(1, 2)))
    const [first] = await storedEvents('id-clash')
    // A stored event under the key another id has: what a crafted collision of content ids looks like.
    await query(`UPDATE sign_in_events SET event_key = $1::bigint WHERE id = $2::bigint`, [eventKeyOf('g-collides'), first.id])
    const report = await run('id-clash', 'b.json', ndjson([graphRecord(950, { id: 'g-collides' }), graphRecord(951)]))
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 1, rowsRejected: 1 })
    expect(report.rejections[0]).toMatchObject({ recordNumber: 1 })
    expect(report.rejections[0].reason).toMatch(/event id "g-collides" has the 64-bit key .* of another event of this dataset/)
    expect(await storedEvents('id-clash')).toHaveLength(3)
  })
})

describe('source ids that are GUIDs', () => {
  it('stores a lower-case GUID as a uuid and any other id as text, gives both back, and knows both as duplicates', async () => {
    const ids = ['0b6f3c2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', '0B6F3C2E-8D4B-4C6E-9A7F-2B3C4D5E6F71', '{0b6f3c2e-8d4b-4c6e-9a7f-2b3c4d5e6f72}', 'g-guidless']
    const file = ndjson(ids.map((id, k) => graphRecord(k + 1, { id })))
    expect((await run('guids', 'a.json', file)).status).toBe('succeeded')
    const again = await run('guids', 'b.json', file)
    expect(again).toMatchObject({ status: 'succeeded', rowsInserted: 0, rowsDuplicate: 4 })
    const rows = await query<{ id: string; as_uuid: boolean }>(
      `SELECT coalesce(source_event_uuid::text, source_event_id) AS id, source_event_uuid IS NOT NULL AS as_uuid FROM sign_in_events
        WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'guids') ORDER BY record_index`,
    )
    expect(rows).toEqual(ids.map((id, k) => ({ id, as_uuid: k === 0 })))
  })
})

describe('de-duplication by day', () => {
  it('an appended hour looks up nothing, and a stored event under another time of its day still counts as a duplicate', async () => {
    // records(1, 400): 2026-03-02 10:00 onwards, one every 7 s (until 10:46).
    await run('hours', 'a.json', ndjson(records(1, 400)), { batchSize: 100 })
    // Hours later the same day: new events, plus events 5 and 300 again with times in those later
    // hours (an export that gave them another time). The first copy wins; the import succeeds.
    const later = (i: number) => graphRecord(i, { createdDateTime: new Date(Date.parse('2026-03-02T15:00:00Z') + i * 1000).toISOString() })
    const again = await run('hours', 'b.json', ndjson([later(5), ...Array.from({ length: 150 }, (_, k) => later(1000 + k)), later(300)]), { batchSize: 100 })
    expect(again.status, again.error ?? '').toBe('succeeded')
    expect(again).toMatchObject({ rowsInserted: 150, rowsDuplicate: 2 })
    const events = await storedEvents('hours')
    expect(events).toHaveLength(550)
    const [{ time }] = await query<{ time: Date }>(
      `SELECT created_at AS time FROM sign_in_events WHERE source_event_id = 'g-000005' AND dataset_id = (SELECT id FROM datasets WHERE name = 'hours')`,
    )
    expect(time.toISOString()).toBe(new Date(Date.parse('2026-03-02T10:00:00Z') + 5 * 7_000).toISOString())
    expect(await storedSummary('hours')).toEqual(await summaryFromEvents('hours'))
  })

  it("computes an event's day in Node as the unique index does in SQL", async () => {
    const times = [
      Date.parse('2026-03-02T23:59:59.999Z'), Date.parse('2026-03-03T00:00:00.000Z'), Date.parse('2026-03-03T00:00:00.001Z'),
      0, -1, -3_600_000, -86_400_000, -86_400_001, Date.parse('1969-12-30T23:00:00Z'), Date.parse('2099-12-31T12:34:56.789Z'),
      ...Array.from({ length: 200 }, (_, k) => Date.parse('2024-01-01T00:00:00Z') + k * 7_777_777_7),
    ]
    const rows = await query<{ day: number }>(`SELECT event_day(to_timestamp(t / 1000.0)) AS day FROM unnest($1::float8[]) WITH ORDINALITY AS u(t, n) ORDER BY n`, [times])
    expect(rows.map((r) => r.day)).toEqual(times.map(eventDay))
    expect(sameEvent(Date.parse('2026-03-02T23:30:00Z'), Date.parse('2026-03-03T00:30:00Z'))).toBe(true)
    expect(sameEvent(Date.parse('2026-03-02T23:29:59.999Z'), Date.parse('2026-03-03T00:30:00Z'))).toBe(false)
    expect(sameEvent(Date.parse('2026-03-02T00:00:00Z'), Date.parse('2026-03-02T23:59:59.999Z'))).toBe(true)
  })

  it('knows a copy across midnight within an hour, and keeps a sign-in with a reused id days apart as its own', async () => {
    const at = (i: number, iso: string) => graphRecord(i, { createdDateTime: iso })
    // Before midnight: event 1 at 23:59:50, event 2 at 23:20, event 3 at 12:00.
    const first = [at(1, '2026-03-02T23:59:50Z'), at(2, '2026-03-02T23:20:00Z'), at(3, '2026-03-02T12:00:00Z'), at(4, '2026-03-02T23:58:00Z')]
    expect((await run('midnight', 'a.json', ndjson(first))).status).toBe('succeeded')
    // The same ids after midnight, as an export that gives the time the log received them: 1 is
    // 40 s later (a copy), 2 is 1 h 10 min later (not within an hour: another sign-in), 3 is two
    // days later (another sign-in); 4 twice in this file, 30 s apart across nothing stored (a copy
    // of the first and of itself).
    const second = [at(1, '2026-03-03T00:00:30Z'), at(2, '2026-03-03T00:30:00Z'), at(3, '2026-03-04T12:00:00Z'), at(4, '2026-03-03T00:20:00Z'), at(4, '2026-03-03T00:20:30Z')]
    const again = await run('midnight', 'b.json', ndjson(second))
    expect(again.status, again.error ?? '').toBe('succeeded')
    expect(again).toMatchObject({ rowsInserted: 2, rowsDuplicate: 3 })
    const stored = await query<{ id: string; time: Date }>(
      `SELECT source_event_id AS id, created_at AS time FROM sign_in_events WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'midnight') ORDER BY 1, 2`,
    )
    expect(stored.map((r) => `${r.id} ${r.time.toISOString()}`)).toEqual([
      'g-000001 2026-03-02T23:59:50.000Z',
      'g-000002 2026-03-02T23:20:00.000Z',
      'g-000002 2026-03-03T00:30:00.000Z',
      'g-000003 2026-03-02T12:00:00.000Z',
      'g-000003 2026-03-04T12:00:00.000Z',
      'g-000004 2026-03-02T23:58:00.000Z',
    ])
    // And the same file once more: everything in it is now a copy.
    expect(await run('midnight', 'c.json', ndjson(second))).toMatchObject({ status: 'succeeded', rowsInserted: 0, rowsDuplicate: 5 })
  })
})

describe('the first "password right" time of each address and name', () => {
  it('is the earliest of the rollup rows with those codes, whatever order the files come in', async () => {
    // Five names signing in from three addresses over six hours, with every kind of code: the
    // "password right" ones (success, MFA asked, expired password …) and failures, which do not count.
    const codes = [0, 50034, 50074, 50126, 50055, 53003, 50056, 500121]
    const all = Array.from({ length: 600 }, (_, k) =>
      graphRecord(k + 1, {
        createdDateTime: new Date(Date.parse('2026-03-05T06:00:00Z') + ((k * 7919) % 600) * 36_000).toISOString(),
        userPrincipalName: `person${k % 5}@contoso.com`,
        ipAddress: ['198.51.100.7', '198.51.100.8', '2001:db8::12'][k % 3],
        status: { errorCode: codes[(k * 31) % codes.length] },
      }),
    )
    // Later hours first, then the earlier ones, then a file that repeats some and adds more.
    const late = all.filter((r) => Date.parse(r.createdDateTime) >= Date.parse('2026-03-05T09:00:00Z'))
    const early = all.filter((r) => Date.parse(r.createdDateTime) < Date.parse('2026-03-05T09:00:00Z'))
    for (const [file, rows] of [['late.json', late.slice(0, 250)], ['early.json', early], ['rest.json', late]] as const) {
      expect((await run('rights', file, ndjson([...rows]), { batchSize: 40 })).status).toBe('succeeded')
    }
    const kept = await query(
      `SELECT host(ip_address) AS ip, user_principal_name AS name, name_hash = md5(user_principal_name)::uuid AS hashed, first_seen
         FROM sign_in_first_rights WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'rights') ORDER BY 1, 2`,
    )
    // The earliest sign-in with those codes per address and name, from the rollup the table is
    // kept with and from the events themselves, the truth both are kept from.
    const earliestIn = (table: string, time: string) =>
      query(
        `SELECT host(ip_address) AS ip, user_principal_name AS name, true AS hashed, min(${time}) AS first_seen
           FROM ${table}
          WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'rights') AND error_code = ANY($1::text[])
          GROUP BY 1, 2 ORDER BY 1, 2`,
        [PASSWORD_RIGHT_CODES],
      )
    const fromRollup = await earliestIn('sign_in_hourly_rollup', 'first_seen')
    expect(fromRollup.length).toBe(15)
    expect(kept).toEqual(fromRollup)
    expect(kept).toEqual(await earliestIn('sign_in_events', 'created_at'))
  })
})

describe('the hourly summary the pages read', () => {
  it('equals the summary recounted from the events after imports with duplicates', async () => {
    await run('summary', 'a.json', ndjson(records(1, 700)), { batchSize: 150 })
    await run('summary', 'b.json', ndjson(records(650, 200)), { batchSize: 150 })
    const expected = await summaryFromEvents('summary')
    expect(expected.length).toBeGreaterThan(2)
    expect(await storedSummary('summary')).toEqual(expected)

    const { id } = await findOrCreateDataset('summary')
    const [{ n, failures, unknown, first, last }] = await query<{ n: number; failures: number; unknown: number; first: Date; last: Date }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE error_code = '50034')::int AS failures, count(*) FILTER (WHERE is_interactive IS NULL)::int AS unknown,
              min(created_at) AS first, max(created_at) AS last
         FROM sign_in_events WHERE dataset_id = $1`,
      [id],
    )
    expect(n).toBe(849)
    const overview = await getOverview([id])
    expect(overview).toMatchObject({ events: n, enumerationFailures: failures, firstEvent: first.toISOString(), lastEvent: last.toISOString() })
    expect((await getDatasetSummary(id))?.events).toBe(n)
    const completeness = await datasetCompleteness(id)
    expect(completeness).toMatchObject({ events: n, interactiveUnknown: unknown, firstEvent: first.toISOString(), lastEvent: last.toISOString() })
    expect(completeness.missing.userAgent).toBe(169)
    expect(completeness.missing.ip).toBe(77)
  })
})

describe('deleting a dataset', () => {
  it('deletes its events, records, rollup and summary, and leaves other datasets alone', async () => {
    await run('doomed', 'd.json', ndjson(records(1, 300)))
    await run('kept', 'k.json', ndjson(records(1, 120)))
    const total = async () => (await query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_events'))[0].n
    const before = await total()
    const doomed = await findOrCreateDataset('doomed')
    await deleteDataset(doomed.id)
    for (const table of ['sign_in_events', 'sign_in_record_blocks', 'sign_in_hourly_rollup', 'sign_in_hourly_summary', 'sign_in_first_rights']) {
      const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE dataset_id = $1`, [doomed.id])
      expect(n, table).toBe(0)
    }
    expect(await total()).toBe(before - 300)
    const kept = await storedEvents('kept')
    expect(kept).toHaveLength(120)
    expect((await getEventRecords(kept.map((e) => BigInt(e.id)))).size).toBe(120)
    // The doomed dataset's partitions are gone (dropped, not emptied); the kept one's remain.
    expect(await partitionsOf(doomed.id)).toEqual([])
    const keptId = (await findOrCreateDataset('kept')).id
    expect(await partitionsOf(keptId)).toEqual(PARTITIONED.map((t) => `${t}_d${keptId}`))
  })
})

describe("a dataset's deletion in the audit trail", () => {
  const entries = async (id: number) =>
    query<{ actor_label: string; before: { name: string; events: number } }>("SELECT actor_label, before FROM audit_events WHERE action = 'dataset.delete' AND entity_id = $1", [String(id)])

  it('commits with the deletion', async () => {
    await run('audited', 'a.json', ndjson(records(1, 40)))
    const { id } = await findOrCreateDataset('audited')
    await deleteDataset(id, { actor: { system: 'test' }, before: { name: 'audited', events: 40, findings: 0 } })
    expect(await entries(id)).toEqual([{ actor_label: 'test', before: { name: 'audited', events: 40, findings: 0 } }])
    expect(await partitionsOf(id)).toEqual([])
  })

  it('leaves the dataset whole when its entry cannot be written', async () => {
    await run('unaudited', 'u.json', ndjson(records(1, 40)))
    const { id } = await findOrCreateDataset('unaudited')
    // An actor id beyond the column's integer range: the entry fails after the DELETE ran.
    const actor = { user: { id: 2 ** 40, email: 'x@example.com' }, via: 'session' } as unknown as Actor
    await expect(deleteDataset(id, { actor, before: { name: 'unaudited', events: 40, findings: 0 } })).rejects.toThrow(/out of range/)
    expect(await entries(id)).toEqual([])
    expect(await storedEvents('unaudited')).toHaveLength(40)
    expect(await partitionsOf(id)).toEqual(PARTITIONED.map((t) => `${t}_d${id}`))
  })
})

const PARTITIONED = ['sign_in_events', 'sign_in_hourly_rollup', 'sign_in_record_blocks']

/** The partitions that hold the dataset's rows, by the bounds PostgreSQL routes by (not by name). */
async function partitionsOf(datasetId: number): Promise<string[]> {
  const rows = await query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent::regclass::text = ANY($1::text[])
        AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%s)', $2::int)
      ORDER BY 1`,
    [PARTITIONED, datasetId],
  )
  return rows.map((r) => r.name)
}

describe('partitions by dataset', () => {
  it('are made with the dataset, whichever way it is created, and dropped only when its deletion commits', async () => {
    const made = await findOrCreateDataset('partitioned-upload')
    expect(await partitionsOf(made.id)).toHaveLength(3)
    // A dataset inserted by other SQL (Prisma, the demo, a connector) gets them as well.
    const [{ id: other }] = await query<{ id: number }>(`INSERT INTO datasets (name) VALUES ('partitioned-raw') RETURNING id`)
    expect(await partitionsOf(other)).toHaveLength(3)
    // A deletion rolled back keeps the events.
    await run('partitioned-raw', 'r.json', ndjson(records(1, 40)))
    const client = await (await getPool()).connect()
    try {
      await client.query('BEGIN')
      await client.query('DELETE FROM datasets WHERE id = $1', [other])
      await client.query('ROLLBACK')
    } finally {
      client.release()
    }
    expect(await partitionsOf(other)).toHaveLength(3)
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_events WHERE dataset_id = $1', [other]))[0].n).toBe(40)
    await query('DELETE FROM datasets WHERE id = $1', [other])
    expect(await partitionsOf(other)).toEqual([])
    // An event of a dataset that does not exist has nowhere to go.
    await expect(
      query(`INSERT INTO sign_in_events (dataset_id, created_at, event_key, record_block, record_index, source_event_id) VALUES ($1, now(), 1, 1, 0, 'x')`, [other]),
    ).rejects.toThrow(/no partition/)
  })
})
